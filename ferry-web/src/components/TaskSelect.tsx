import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { tasksApi } from '../api/tasks';

/** Picks one task by name, searching on the server. */
export function TaskSelect({
  value,
  onChange,
  placeholder,
  style,
}: {
  value?: number;
  onChange: (id: number | undefined) => void;
  placeholder?: string;
  style?: React.CSSProperties;
}) {
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const search = (q: string) =>
    tasksApi.list({ q, page: 0, size: 20 }).then(
      (p) => setOptions(p.items.map((t) => ({ value: t.id, label: t.name }))),
      () => {},
    );
  useEffect(() => {
    search('');
  }, []);
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      options={options}
      placeholder={placeholder}
      style={style}
      data-testid="task-select"
    />
  );
}
