import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import type { Schedule } from '../../../api/schedules';
import { renderInApp } from '../../../test-utils';
import { ScheduleForm } from './ScheduleForm';
import { DEFAULT_DRAFT, defaultTimeoutMinutes, fromSchedule, toSchedule, validateSchedule } from './scheduleModel';

const preview = vi.fn();
vi.mock('../../../api/schedules', () => ({ schedulesApi: { preview: (s: Schedule) => preview(s) } }));
vi.mock('../../../api/tasks', () => ({
  tasksApi: {
    list: async () => ({ items: [{ id: 7, name: 'orders' }], total: 1, page: 0, size: 20 }),
    get: async (id: number) => ({ id, name: `task ${id}` }),
  },
}));

/** The input element of a control, wherever Ant Design put the test id. */
function input(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el.tagName === 'INPUT' ? el : el.querySelector('input')!) as HTMLInputElement;
}

const COMMON = {
  timeoutMinutes: null,
  retries: 0,
  retryDelaySeconds: 60,
  idempotent: false,
  cpuCores: 2,
  memoryMb: 1024,
  upstreamTaskIds: [],
  timeZone: null,
};
const PERIODIC = {
  ...COMMON,
  type: 'periodic',
  effectiveFrom: null,
  effectiveTo: null,
  dependOnPrevious: false,
  offlineOnFailure: false,
  runOnOnline: false,
};

describe('toSchedule: each cycle sends its own fields', () => {
  it.each<[string, Partial<typeof DEFAULT_DRAFT>, Schedule]>([
    ['minute', { cycle: 'minute', interval: 15 }, { ...PERIODIC, cycle: 'minute', mode: 'interval', interval: 15 } as Schedule],
    [
      'hour by interval',
      { cycle: 'hour', mode: 'interval', interval: 6 },
      { ...PERIODIC, cycle: 'hour', mode: 'interval', interval: 6 } as Schedule,
    ],
    ['hour at a minute', { cycle: 'hour', mode: 'at', minute: 30 }, { ...PERIODIC, cycle: 'hour', mode: 'at', minute: 30 } as Schedule],
    ['day', { cycle: 'day', time: '02:30' }, { ...PERIODIC, cycle: 'day', mode: 'at', time: '02:30' } as Schedule],
    [
      'week',
      { cycle: 'week', time: '08:00', weekdays: [5, 1, 3] },
      { ...PERIODIC, cycle: 'week', mode: 'at', time: '08:00', weekdays: [1, 3, 5] } as Schedule,
    ],
    [
      'month',
      { cycle: 'month', time: '23:00', daysOfMonth: [15, 1] },
      { ...PERIODIC, cycle: 'month', mode: 'at', time: '23:00', daysOfMonth: [1, 15] } as Schedule,
    ],
    ['cron', { cycle: 'cron', cron: ' 0 */5 * * * ? ' }, { ...PERIODIC, cycle: 'cron', cron: '0 */5 * * * ?' } as Schedule],
    ['once when online', { type: 'once' }, { ...COMMON, type: 'once', runAt: null } as Schedule],
    [
      'once at a time',
      { type: 'once', runAt: '2030-01-02T03:04:05' },
      { ...COMMON, type: 'once', runAt: '2030-01-02T03:04:05' } as Schedule,
    ],
  ])('%s', (_, change, expected) => {
    expect(toSchedule({ ...DEFAULT_DRAFT, ...change })).toEqual(expected);
  });

  it('reads a stored schedule back into the same JSON', () => {
    const stored: Schedule = {
      ...PERIODIC,
      type: 'periodic',
      cycle: 'week',
      mode: 'at',
      time: '06:15',
      weekdays: [6, 7],
      retries: 2,
      idempotent: true,
    } as Schedule;
    expect(toSchedule(fromSchedule(stored))).toEqual(stored);
  });

  it('knows the default timeout: 3 × the interval, else 24 hours', () => {
    expect(defaultTimeoutMinutes(toSchedule({ ...DEFAULT_DRAFT, cycle: 'minute', interval: 10 }))).toBe(30);
    expect(defaultTimeoutMinutes(toSchedule({ ...DEFAULT_DRAFT, cycle: 'hour', mode: 'interval', interval: 2 }))).toBe(360);
    expect(defaultTimeoutMinutes(toSchedule({ ...DEFAULT_DRAFT, cycle: 'day' }))).toBe(1440);
  });
});

describe('validateSchedule', () => {
  const fields = (change: Partial<typeof DEFAULT_DRAFT>) =>
    validateSchedule(toSchedule({ ...DEFAULT_DRAFT, ...change })).map((p) => p.field);

  it('accepts the defaults', () => expect(fields({})).toEqual([]));
  it('bounds minute and hour intervals', () => {
    expect(fields({ cycle: 'minute', interval: 60 })).toEqual(['interval']);
    expect(fields({ cycle: 'hour', mode: 'interval', interval: 24 })).toEqual(['interval']);
    expect(fields({ cycle: 'hour', mode: 'at', minute: 60 })).toEqual(['minute']);
  });
  it('needs weekdays, days of the month, a time and a 6- or 7-field cron', () => {
    expect(fields({ cycle: 'week', weekdays: [] })).toEqual(['weekdays']);
    expect(fields({ cycle: 'month', daysOfMonth: [] })).toEqual(['daysOfMonth']);
    expect(fields({ cycle: 'day', time: '25:00' })).toEqual(['time']);
    expect(fields({ cycle: 'cron', cron: '* * * * *' })).toEqual(['cron']);
  });
  it('wants effective dates in order and retries only for idempotent tasks', () => {
    expect(fields({ effectiveFrom: '2030-02-01', effectiveTo: '2030-01-01' })).toEqual(['effectiveTo']);
    expect(fields({ retries: 2 })).toEqual(['idempotent']);
    expect(fields({ retries: 2, idempotent: true })).toEqual([]);
  });
});

describe('ScheduleForm', () => {
  beforeEach(() => {
    preview.mockReset();
    preview.mockResolvedValue({
      cron: '0 0 2 * * ?',
      description: 'every day at 02:00',
      timeoutMinutes: 1440,
      nextFireTimes: ['2030-01-01T02:00:00Z', '2030-01-02T02:00:00Z'],
    });
  });

  const lastSchedule = (onChange: ReturnType<typeof vi.fn>) => onChange.mock.calls[onChange.mock.calls.length - 1] as [Schedule, boolean];

  it('emits the Schedule JSON of each cycle as the user picks it', async () => {
    const onChange = vi.fn();
    renderInApp(<ScheduleForm onChange={onChange} />);
    expect(lastSchedule(onChange)).toEqual([expect.objectContaining({ type: 'periodic', cycle: 'day', mode: 'at', time: '02:00' }), true]);

    fireEvent.click(screen.getByRole('radio', { name: 'Minutes' }));
    const interval = input('schedule-interval');
    fireEvent.change(interval, { target: { value: '15' } });
    expect(lastSchedule(onChange)[0]).toMatchObject({ cycle: 'minute', mode: 'interval', interval: 15 });
    expect(lastSchedule(onChange)[0]).not.toHaveProperty('time');

    fireEvent.click(screen.getByRole('radio', { name: 'Hours' }));
    fireEvent.click(screen.getByRole('radio', { name: 'At a minute of each hour' }));
    fireEvent.change(input('schedule-minute'), { target: { value: '45' } });
    expect(lastSchedule(onChange)[0]).toMatchObject({ cycle: 'hour', mode: 'at', minute: 45 });

    fireEvent.click(screen.getByRole('radio', { name: 'Week' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Fri' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Mon' })); // Monday was the default: now off
    expect(lastSchedule(onChange)[0]).toMatchObject({ cycle: 'week', mode: 'at', time: '02:00', weekdays: [5] });

    fireEvent.click(screen.getByRole('radio', { name: 'Month' }));
    const days = screen.getByTestId('schedule-days');
    fireEvent.click(within(days).getByText('15'));
    expect(lastSchedule(onChange)[0]).toMatchObject({ cycle: 'month', daysOfMonth: [1, 15] });
    fireEvent.click(within(days).getByText('Last day'));
    expect(lastSchedule(onChange)[0]).toMatchObject({ daysOfMonth: [-1] });

    fireEvent.click(screen.getByRole('radio', { name: 'Cron' }));
    fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: '0 30 1 ? * MON-FRI' } });
    expect(lastSchedule(onChange)[0]).toMatchObject({ cycle: 'cron', cron: '0 30 1 ? * MON-FRI' });

    fireEvent.click(screen.getByTestId('schedule-depend'));
    expect(lastSchedule(onChange)[0]).toMatchObject({ dependOnPrevious: true });

    fireEvent.click(screen.getByRole('radio', { name: 'One-time' }));
    expect(lastSchedule(onChange)[0]).toEqual(expect.objectContaining({ type: 'once', runAt: null }));
    expect(lastSchedule(onChange)[0]).not.toHaveProperty('cycle');
    fireEvent.click(screen.getByRole('radio', { name: 'At a time' }));
    expect(lastSchedule(onChange)[0].runAt).toMatch(/^\d{4}-\d\d-\d\dT00:00:00$/);
  });

  it('marks what is wrong under the field and reports the schedule invalid', async () => {
    const onChange = vi.fn();
    renderInApp(<ScheduleForm onChange={onChange} />);
    fireEvent.click(screen.getByRole('radio', { name: 'Week' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Mon' }));
    expect(await screen.findByText('Pick at least one')).toBeInTheDocument();
    expect(lastSchedule(onChange)[1]).toBe(false);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Sun' }));
    expect(lastSchedule(onChange)).toEqual([expect.objectContaining({ weekdays: [7] }), true]);

    fireEvent.click(screen.getByRole('radio', { name: 'Cron' }));
    fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: '0 0 * * *' } });
    expect(await screen.findByText('A Quartz cron expression has 6 or 7 fields')).toBeInTheDocument();
    expect(lastSchedule(onChange)[1]).toBe(false);
    fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: '0 0 * * * ?' } });
    fireEvent.change(input('schedule-retries'), { target: { value: '3' } });
    expect(await screen.findByText('Retries need an idempotent task')).toBeInTheDocument();
    expect(lastSchedule(onChange)[1]).toBe(false);
    fireEvent.click(screen.getByTestId('schedule-idempotent'));
    expect(lastSchedule(onChange)).toEqual([expect.objectContaining({ retries: 3, idempotent: true }), true]);
  });

  it('shows the server’s cron expression and next fire times, live', async () => {
    renderInApp(<ScheduleForm onChange={() => {}} />);
    expect(await screen.findByTestId('schedule-preview-cron')).toHaveTextContent('0 0 2 * * ?');
    expect(screen.getByText('every day at 02:00')).toBeInTheDocument();
    expect(screen.getByTestId('schedule-next-fires').querySelectorAll('li')).toHaveLength(2);
    expect(preview).toHaveBeenCalledWith(expect.objectContaining({ cycle: 'day', time: '02:00' }));
  });

  it('puts the server’s field problems under their fields', async () => {
    preview.mockRejectedValue(new ApiError(400, 'invalid', [{ field: 'cron', message: 'cron: not a valid Quartz expression' }]));
    renderInApp(<ScheduleForm initial={{ type: 'periodic', cycle: 'cron', cron: '0 0 0 31 2 ? 2001' }} onChange={() => {}} />);
    expect(await screen.findByText('cron: not a valid Quartz expression')).toBeInTheDocument();
    await act(async () => {});
    renderInApp(<ScheduleForm onChange={() => {}} serverProblems={[{ field: 'time', message: 'time is required for day' }]} />);
    await waitFor(() => expect(screen.getByText('time is required for day')).toBeInTheDocument());
  });
});
