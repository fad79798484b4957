import { Form, Input, InputNumber, Select, Switch } from 'antd';
import type { OptionDecl } from '../../api/datasources';
import { useT } from '../../i18n';

/** The form control of one declared option: its type decides the input, its flags the marks. */
export function OptionField({ option }: { option: OptionDecl }) {
  const t = useT();
  const placeholder =
    option.defaultValue == null || option.type === 'object' ? undefined : t('ds.defaultValue', { value: String(option.defaultValue) });
  const common = {
    name: ['options', option.name],
    label: option.label ? `${option.label} (${option.name})` : option.name,
    extra: option.description,
    required: option.required,
    rules: option.required ? [{ required: true, message: t('form.required') }] : undefined,
  };
  switch (option.type) {
    case 'boolean':
      return (
        <Form.Item {...common} valuePropName="checked">
          <Switch />
        </Form.Item>
      );
    case 'integer':
    case 'long':
    case 'double':
      return (
        <Form.Item {...common}>
          <InputNumber style={{ width: 220 }} placeholder={placeholder} step={option.type === 'double' ? 0.1 : 1} />
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item {...common}>
          <Select allowClear placeholder={placeholder} options={option.choices.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
      );
    case 'list':
      // Multi-value options (hosts, columns, keys): one tag per value, typed or pasted with commas.
      return (
        <Form.Item {...common}>
          <Select mode="tags" tokenSeparators={[',']} open={false} placeholder={placeholder ?? t('ds.listPlaceholder')} suffixIcon={null} />
        </Form.Item>
      );
    case 'object':
      return (
        <Form.Item {...common}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} placeholder='{"key": "value"}' style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item {...common}>
          {option.secret ? <Input.Password placeholder={placeholder} autoComplete="new-password" /> : <Input placeholder={placeholder} />}
        </Form.Item>
      );
  }
}

/** Form values → the options a request sends: unset fields left out, object options parsed. */
export function optionsFromForm(
  declared: OptionDecl[],
  values: Record<string, unknown> | undefined,
): { options: Record<string, unknown>; badJson: string[] } {
  const options: Record<string, unknown> = {};
  const badJson: string[] = [];
  for (const o of declared) {
    const value = values?.[o.name];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) continue;
    if (o.type === 'object' && typeof value === 'string') {
      try {
        options[o.name] = JSON.parse(value);
      } catch {
        badJson.push(o.name);
      }
    } else {
      options[o.name] = value;
    }
  }
  return { options, badJson };
}

/** Stored options → form values (object options as JSON text). */
export function optionsToForm(declared: OptionDecl[], options: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const o of declared) {
    const value = options[o.name];
    if (value === undefined) continue;
    values[o.name] = o.type === 'object' && typeof value !== 'string' ? JSON.stringify(value) : value;
  }
  return values;
}

/**
 * The options a data source holds: a connector with a catalog declares exactly its connection
 * options there; otherwise every option of its source and sink, object options (a path) included.
 */
export function connectionOptions(roles: Partial<Record<string, OptionDecl[]>>): OptionDecl[] {
  if (roles.catalog) return roles.catalog;
  const seen = new Map<string, OptionDecl>();
  for (const o of [...(roles.source ?? []), ...(roles.sink ?? [])]) {
    if (!seen.has(o.name)) seen.set(o.name, { ...o, required: false });
  }
  return [...seen.values()];
}
