/**
 * Whether values of one Ferry type can go into a column of another:
 * `ok` converts without loss, `lossy` may lose precision or make rows dirty (text that does not
 * parse, a number out of range), `incompatible` cannot convert at all.
 * Types are Ferry's text form: int64, decimal(12,2), timestamp(6), array<string>...
 */
export type Compatibility = 'ok' | 'lossy' | 'incompatible';

type Family = 'boolean' | 'integer' | 'float' | 'decimal' | 'string' | 'json' | 'bytes' | 'date' | 'time' | 'timestamp' | 'nested';

const INTEGER_RANK: Record<string, number> = { int8: 1, int16: 2, int32: 3, int64: 4 };

function parse(type: string): { kind: string; family: Family | null; precision?: number; scale?: number } {
  const text = type.trim().toLowerCase();
  const kind = text.split(/[(<]/)[0].trim();
  const args = /^\w+\((\d+)(?:\s*,\s*(\d+))?\)/.exec(text);
  const family: Family | null =
    kind in INTEGER_RANK
      ? 'integer'
      : kind === 'float32' || kind === 'float64'
        ? 'float'
        : kind === 'timestamp' || kind === 'timestamp_tz'
          ? 'timestamp'
          : kind === 'row' || kind === 'array' || kind === 'map'
            ? 'nested'
            : ((['boolean', 'decimal', 'string', 'json', 'bytes', 'date', 'time'] as const).find((f) => f === kind) ?? null);
  return { kind, family, precision: args ? Number(args[1]) : undefined, scale: args?.[2] ? Number(args[2]) : undefined };
}

export function compatibility(from: string | undefined, to: string | undefined): Compatibility {
  if (!from || !to) return 'ok'; // a side whose types are unknown cannot be judged
  const a = parse(from);
  const b = parse(to);
  if (!a.family || !b.family) return 'ok';
  if (a.family === b.family) {
    switch (a.family) {
      case 'integer':
        return INTEGER_RANK[a.kind] <= INTEGER_RANK[b.kind] ? 'ok' : 'lossy';
      case 'float':
        return a.kind === 'float64' && b.kind === 'float32' ? 'lossy' : 'ok';
      case 'decimal': {
        const intDigits = (p?: number, s?: number) => (p ?? 38) - (s ?? 0);
        const narrower = intDigits(b.precision, b.scale) < intDigits(a.precision, a.scale) || (b.scale ?? 0) < (a.scale ?? 0);
        return narrower ? 'lossy' : 'ok';
      }
      case 'nested':
        return a.kind === b.kind ? 'ok' : 'incompatible';
      default:
        return 'ok';
    }
  }
  switch (b.family) {
    case 'string':
      return a.family === 'bytes' ? 'lossy' : 'ok';
    case 'json':
      return a.family === 'string' || a.family === 'nested' ? 'ok' : 'lossy';
    case 'integer':
    case 'float':
    case 'decimal':
      if (a.family === 'integer') return b.family === 'float' && a.kind === 'int64' ? 'lossy' : 'ok';
      return ['float', 'decimal', 'string', 'boolean'].includes(a.family) ? 'lossy' : 'incompatible';
    case 'boolean':
      return a.family === 'integer' || a.family === 'string' ? 'lossy' : 'incompatible';
    case 'timestamp':
      if (a.family === 'date') return 'ok';
      return a.family === 'string' ? 'lossy' : 'incompatible';
    case 'date':
      return a.family === 'timestamp' || a.family === 'string' ? 'lossy' : 'incompatible';
    case 'time':
      return a.family === 'timestamp' || a.family === 'string' ? 'lossy' : 'incompatible';
    case 'bytes':
      return a.family === 'string' ? 'ok' : 'incompatible';
    case 'nested':
      return a.family === 'json' || a.family === 'string' ? 'lossy' : 'incompatible';
  }
}
