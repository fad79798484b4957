import { useRef } from 'react';

/** A monospace script editor with line numbers; `errorLines` are marked in the gutter. */
export function ScriptEditor({
  value,
  onChange,
  errorLines = [],
}: {
  value: string;
  onChange: (text: string) => void;
  errorLines?: number[];
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(value.split('\n').length, 20);
  return (
    <div
      style={{
        display: 'flex',
        border: '1px solid #d9d9d9',
        borderRadius: 6,
        overflow: 'hidden',
        height: 440,
        fontFamily: 'monospace',
        fontSize: 13,
        lineHeight: '20px',
      }}
    >
      <div
        ref={gutter}
        aria-hidden
        style={{
          overflow: 'hidden',
          background: '#fafafa',
          color: '#8c8c8c',
          padding: '8px 8px 8px 12px',
          textAlign: 'right',
          userSelect: 'none',
          minWidth: 44,
        }}
      >
        {Array.from({ length: lines }, (_, i) => (
          <div
            key={i}
            style={errorLines.includes(i + 1) ? { color: '#fff', background: '#ff4d4f', borderRadius: 3, padding: '0 3px' } : undefined}
          >
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => gutter.current && (gutter.current.scrollTop = e.currentTarget.scrollTop)}
        onKeyDown={(e) => {
          if (e.key !== 'Tab') return;
          e.preventDefault(); // two spaces, as YAML wants, instead of leaving the editor
          const el = e.currentTarget;
          const { selectionStart: start, selectionEnd: end } = el;
          onChange(value.slice(0, start) + '  ' + value.slice(end));
          requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
        }}
        data-testid="script-editor"
        style={{
          flex: 1,
          border: 'none',
          outline: 'none',
          resize: 'none',
          padding: 8,
          font: 'inherit',
          lineHeight: 'inherit',
          whiteSpace: 'pre',
          overflow: 'auto',
        }}
      />
    </div>
  );
}
