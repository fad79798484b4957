import type { FieldProblem } from '../../../api/client';
import type { Cycle, Schedule } from '../../../api/schedules';

/** Everything the form holds; what is sent is only what the chosen type and cycle use. */
export type ScheduleDraft = Required<Omit<Schedule, 'mode'>> & { mode: 'interval' | 'at' };

export const DEFAULT_DRAFT: ScheduleDraft = {
  type: 'periodic',
  cycle: 'day',
  mode: 'at',
  interval: 1,
  minute: 0,
  time: '02:00',
  weekdays: [1],
  daysOfMonth: [1],
  cron: '0 0 2 * * ?',
  effectiveFrom: null,
  effectiveTo: null,
  dependOnPrevious: false,
  offlineOnFailure: false,
  runOnOnline: false,
  runAt: null,
  timeoutMinutes: null,
  retries: 0,
  retryDelaySeconds: 60,
  idempotent: false,
  cpuCores: 2,
  memoryMb: 1024,
  upstreamTaskIds: [],
  timeZone: null,
};

/** The mode a cycle allows: minutes only by interval, hours either way, the rest at a time. */
export function modeOf(cycle: Cycle, mode: 'interval' | 'at'): 'interval' | 'at' | undefined {
  if (cycle === 'minute') return 'interval';
  if (cycle === 'hour') return mode;
  if (cycle === 'cron') return undefined;
  return 'at';
}

/** The Schedule JSON the server takes, from the form's draft. */
export function toSchedule(d: ScheduleDraft): Schedule {
  const common: Schedule = {
    type: d.type,
    timeoutMinutes: d.timeoutMinutes,
    retries: d.retries,
    retryDelaySeconds: d.retryDelaySeconds,
    idempotent: d.idempotent,
    cpuCores: d.cpuCores,
    memoryMb: d.memoryMb,
    upstreamTaskIds: [...d.upstreamTaskIds],
    timeZone: d.timeZone,
  };
  if (d.type === 'once') return { ...common, runAt: d.runAt };
  const periodic: Schedule = {
    ...common,
    cycle: d.cycle,
    effectiveFrom: d.effectiveFrom,
    effectiveTo: d.effectiveTo,
    dependOnPrevious: d.dependOnPrevious,
    offlineOnFailure: d.offlineOnFailure,
    runOnOnline: d.runOnOnline,
  };
  const mode = modeOf(d.cycle, d.mode);
  switch (d.cycle) {
    case 'minute':
      return { ...periodic, mode, interval: d.interval };
    case 'hour':
      return mode === 'interval' ? { ...periodic, mode, interval: d.interval } : { ...periodic, mode, minute: d.minute };
    case 'day':
      return { ...periodic, mode, time: d.time };
    case 'week':
      return { ...periodic, mode, time: d.time, weekdays: [...d.weekdays].sort((a, b) => a - b) };
    case 'month':
      return { ...periodic, mode, time: d.time, daysOfMonth: sortDays(d.daysOfMonth) };
    case 'cron':
      return { ...periodic, cron: d.cron.trim() };
  }
}

/** 1..31 in order, the month's last day (-1) after them. */
function sortDays(days: number[]): number[] {
  const key = (d: number) => (d === -1 ? 99 : d);
  return [...days].sort((a, b) => key(a) - key(b));
}

/** A stored schedule back into a draft, the fields it lacks at their defaults. */
export function fromSchedule(s: Schedule | null | undefined): ScheduleDraft {
  if (!s) return { ...DEFAULT_DRAFT };
  const defined = Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_DRAFT, ...defined, mode: s.mode ?? DEFAULT_DRAFT.mode } as ScheduleDraft;
}

/** Minutes a run may take before it is stopped, when no timeout is given (issue 7). */
export function defaultTimeoutMinutes(s: Schedule): number {
  if (s.type === 'periodic' && s.mode === 'interval' && s.interval) {
    return 3 * s.interval * (s.cycle === 'hour' ? 60 : 1);
  }
  return 24 * 60;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** The codes of {@link validateSchedule}'s messages; `range:1-59` carries its range. */
export const SCHEDULE_ERRORS = [
  'required',
  'time',
  'cron',
  'afterFrom',
  'runAt',
  'min0',
  'min1',
  'min64',
  'retriesNeedIdempotent',
] as const;

/**
 * What is wrong with a schedule before the server is asked, each problem under the Schedule
 * field it names (the server's 400 names the same fields) with a message code.
 */
export function validateSchedule(s: Schedule): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const inRange = (field: keyof Schedule, value: number | undefined, min: number, max: number) => {
    if (value == null || !Number.isInteger(value) || value < min || value > max) problem(field, `range:${min}-${max}`);
  };
  if (s.type === 'periodic') {
    if (s.mode === 'interval') inRange('interval', s.interval, 1, s.cycle === 'hour' ? 23 : 59);
    if (s.cycle === 'hour' && s.mode === 'at') inRange('minute', s.minute, 0, 59);
    if ((s.cycle === 'day' || s.cycle === 'week' || s.cycle === 'month') && !TIME.test(s.time ?? '')) problem('time', 'time');
    if (s.cycle === 'week' && !s.weekdays?.length) problem('weekdays', 'required');
    if (s.cycle === 'month' && !s.daysOfMonth?.length) problem('daysOfMonth', 'required');
    if (s.cycle === 'cron') {
      const fields = (s.cron ?? '').trim().split(/\s+/).filter(Boolean).length;
      if (fields < 6 || fields > 7) problem('cron', 'cron');
    }
    if (s.effectiveFrom && s.effectiveTo && s.effectiveFrom > s.effectiveTo) problem('effectiveTo', 'afterFrom');
  } else if (s.runAt != null && !DATE_TIME.test(s.runAt)) {
    problem('runAt', 'runAt');
  }
  if (s.timeoutMinutes != null && (!Number.isInteger(s.timeoutMinutes) || s.timeoutMinutes < 1)) problem('timeoutMinutes', 'min1');
  if ((s.retries ?? 0) < 0) problem('retries', 'min0');
  if ((s.retries ?? 0) > 0 && !s.idempotent) problem('idempotent', 'retriesNeedIdempotent');
  if ((s.retryDelaySeconds ?? 0) < 0) problem('retryDelaySeconds', 'min0');
  if ((s.cpuCores ?? 1) < 1) problem('cpuCores', 'min1');
  if ((s.memoryMb ?? 64) < 64) problem('memoryMb', 'min64');
  return problems;
}
