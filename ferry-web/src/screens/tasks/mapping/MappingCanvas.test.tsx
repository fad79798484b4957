import { useState } from 'react';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Pair } from '../../../api/tasks';
import { renderInApp } from '../../../test-utils';
import { MappingCanvas, sameNameMapping, type MappingColumn } from './MappingCanvas';
import { compatibility } from './typeCompatibility';

const SOURCE: MappingColumn[] = [
  { name: 'id', type: 'int64', nativeType: 'BIGINT' },
  { name: 'Customer', type: 'string', nativeType: 'VARCHAR(40)' },
  { name: 'amount', type: 'decimal(12,2)' },
  { name: 'created', type: 'timestamp' },
  { name: 'legacy_code', type: 'string' },
];
const TARGET: MappingColumn[] = [
  { name: 'id', type: 'int64' },
  { name: 'customer', type: 'string' },
  { name: 'amount', type: 'decimal(12,2)' },
  { name: 'created', type: 'int32' },
  { name: 'code', type: 'int32' },
];

/** The canvas with its pairs kept in state, as the wizard holds them. */
function Harness({ initial = [], onChange }: { initial?: Pair[]; onChange: (p: Pair[]) => void }) {
  const [pairs, setPairs] = useState<Pair[]>(initial);
  return (
    <MappingCanvas
      sourceColumns={SOURCE}
      targetColumns={TARGET}
      value={pairs}
      onChange={(p) => {
        setPairs(p);
        onChange(p);
      }}
    />
  );
}

const last = (fn: ReturnType<typeof vi.fn>) => fn.mock.calls[fn.mock.calls.length - 1][0] as Pair[];

describe('MappingCanvas', () => {
  it('shows both column lists with their types', () => {
    renderInApp(<Harness onChange={() => {}} />);
    expect(screen.getByText('Source columns (5)')).toBeInTheDocument();
    expect(screen.getByText('Target columns (5)')).toBeInTheDocument();
    expect(screen.getByTestId('source-col-amount')).toHaveTextContent('decimal(12,2)');
    expect(screen.getByTestId('target-col-code')).toHaveTextContent('int32');
  });

  it('links every equal name at once with same-name mapping, ignoring case', () => {
    const onChange = vi.fn();
    renderInApp(<Harness onChange={onChange} />);
    fireEvent.click(screen.getByTestId('mapping-same-name'));
    expect(last(onChange)).toEqual([
      { from: 'id', to: 'id' },
      { from: 'Customer', to: 'customer' },
      { from: 'amount', to: 'amount' },
      { from: 'created', to: 'created' },
    ]);
    expect(screen.getByTestId('link-Customer-customer')).toBeInTheDocument();
    expect(screen.getByTestId('mapping-summary')).toHaveTextContent('4 of 5 target columns linked');
  });

  it('keeps manual links of columns without an equal name', () => {
    const pairs = sameNameMapping([{ from: 'legacy_code', to: 'code' }], SOURCE, TARGET);
    expect(pairs).toContainEqual({ from: 'legacy_code', to: 'code' });
    expect(pairs).toHaveLength(5);
  });

  it('links by dragging from a source column to a target column', () => {
    const onChange = vi.fn();
    renderInApp(<Harness onChange={onChange} />);
    fireEvent.mouseDown(screen.getByTestId('source-col-legacy_code'));
    fireEvent.mouseMove(screen.getByTestId('mapping-canvas'), { clientX: 400, clientY: 200 });
    fireEvent.mouseUp(screen.getByTestId('target-col-code'));
    expect(last(onChange)).toEqual([{ from: 'legacy_code', to: 'code' }]);
    expect(screen.getByTestId('link-legacy_code-code')).toBeInTheDocument();
  });

  it('links by clicking a source column, then a target column', () => {
    const onChange = vi.fn();
    renderInApp(<Harness onChange={onChange} />);
    fireEvent.click(screen.getByTestId('source-col-amount'));
    fireEvent.click(screen.getByTestId('target-col-amount'));
    expect(last(onChange)).toEqual([{ from: 'amount', to: 'amount' }]);
  });

  it('feeds a target column from one source column: a new link replaces the old', () => {
    const onChange = vi.fn();
    renderInApp(<Harness initial={[{ from: 'id', to: 'id' }]} onChange={onChange} />);
    fireEvent.mouseDown(screen.getByTestId('source-col-amount'));
    fireEvent.mouseUp(screen.getByTestId('target-col-id'));
    expect(last(onChange)).toEqual([{ from: 'amount', to: 'id' }]);
  });

  it('unlinks when a line is clicked', () => {
    const onChange = vi.fn();
    renderInApp(
      <Harness
        initial={[
          { from: 'id', to: 'id' },
          { from: 'amount', to: 'amount' },
        ]}
        onChange={onChange}
      />,
    );
    fireEvent.click(screen.getByTestId('link-id-id'));
    expect(last(onChange)).toEqual([{ from: 'amount', to: 'amount' }]);
    expect(screen.queryByTestId('link-id-id')).not.toBeInTheDocument();
  });

  it('flags incompatible and lossy pairs', () => {
    renderInApp(
      <Harness
        initial={[
          { from: 'id', to: 'id' },
          { from: 'created', to: 'created' },
          { from: 'legacy_code', to: 'code' },
        ]}
        onChange={() => {}}
      />,
    );
    expect(screen.getByTestId('link-id-id')).toHaveAttribute('data-compat', 'ok');
    expect(screen.getByTestId('link-created-created')).toHaveAttribute('data-compat', 'incompatible');
    expect(screen.getByTestId('flag-created')).toHaveAttribute('aria-label', 'incompatible');
    expect(screen.getByTestId('link-legacy_code-code')).toHaveAttribute('data-compat', 'lossy');
    expect(screen.queryByTestId('flag-id')).not.toBeInTheDocument();
    expect(screen.getByTestId('mapping-summary')).toHaveTextContent('1 incompatible');
  });
});

describe('compatibility', () => {
  it.each([
    ['int32', 'int64', 'ok'],
    ['int64', 'int32', 'lossy'],
    ['int64', 'decimal(20,0)', 'ok'],
    ['decimal(12,2)', 'decimal(10,2)', 'lossy'],
    ['decimal(12,2)', 'decimal(14,4)', 'ok'],
    ['string', 'int64', 'lossy'],
    ['int64', 'string', 'ok'],
    ['date', 'timestamp(6)', 'ok'],
    ['timestamp', 'date', 'lossy'],
    ['timestamp', 'int32', 'incompatible'],
    ['boolean', 'date', 'incompatible'],
    ['array<string>', 'json', 'ok'],
    ['row<a int64>', 'int64', 'incompatible'],
    ['int64', undefined, 'ok'],
  ] as const)('%s → %s is %s', (from, to, expected) => {
    expect(compatibility(from, to)).toBe(expected);
  });
});
