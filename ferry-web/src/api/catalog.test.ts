import { describe, expect, it } from 'vitest';
import { cronOf } from './catalog';

describe('cronOf', () => {
  it('makes the cron expression the server makes of a cycle and a time', () => {
    expect(cronOf('day', null, '02:30')).toBe('0 30 2 * * ?');
    expect(cronOf('week', 1, '23:05')).toBe('0 5 23 ? * MON');
    expect(cronOf('week', 7, '00:00')).toBe('0 0 0 ? * SUN');
    expect(cronOf('month', 28, '12:00')).toBe('0 0 12 28 * ?');
  });

  it('makes none of an incomplete or impossible rule', () => {
    expect(cronOf(undefined, null, '02:30')).toBeNull();
    expect(cronOf('day', null, undefined)).toBeNull();
    expect(cronOf('day', null, '2:30')).toBeNull();
    expect(cronOf('week', null, '02:30')).toBeNull();
    expect(cronOf('week', 8, '02:30')).toBeNull();
    expect(cronOf('month', 29, '02:30')).toBeNull();
    expect(cronOf('month', 0, '02:30')).toBeNull();
  });
});
