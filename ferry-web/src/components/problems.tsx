import { Alert } from 'antd';
import type { FormInstance } from 'antd';
import type { FieldProblem } from '../api/client';

/** `wizard.mapping[2].to` → ['wizard', 'mapping', 2, 'to'] */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split('.')
    .flatMap((part) => part.split(/\[(\d+)\]/).filter((p) => p !== ''))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Shows each problem under the form field it names (after `rename`, e.g. dropping a `wizard.`
 * prefix) and returns the problems no field of the form carries, for an alert beside the form.
 */
export function applyProblems(form: FormInstance, problems: FieldProblem[], rename: (field: string) => string = (f) => f): FieldProblem[] {
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  const rest: FieldProblem[] = [];
  for (const p of problems) {
    const name = p.field ? fieldPath(rename(p.field)).join('.') : '';
    if (name && registered.has(name)) byField.set(name, [...(byField.get(name) ?? []), p.message]);
    else rest.push(p);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: fieldPath(name), errors })));
  return rest;
}

/** The problems that belong to no field, each with the field it names when it names one. */
export function ProblemAlert({ problems }: { problems: FieldProblem[] }) {
  if (!problems.length) return null;
  const line = (p: FieldProblem) => (
    <>
      {p.field ? <code>{p.field}</code> : null} {p.message}
    </>
  );
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={
        problems.length === 1 ? (
          line(problems[0])
        ) : (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {problems.map((p, i) => (
              <li key={i}>{line(p)}</li>
            ))}
          </ul>
        )
      }
    />
  );
}
