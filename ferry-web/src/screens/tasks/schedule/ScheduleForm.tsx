import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Card,
  Checkbox,
  Collapse,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
  TimePicker,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { ApiError, type FieldProblem } from '../../../api/client';
import { schedulesApi, type Cycle, type Schedule, type SchedulePreview } from '../../../api/schedules';
import { tasksApi } from '../../../api/tasks';
import { formatTime } from '../../../components/format';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/messages';
import {
  defaultTimeoutMinutes,
  fromSchedule,
  modeOf,
  SCHEDULE_ERRORS,
  toSchedule,
  validateSchedule,
  type ScheduleDraft,
} from './scheduleModel';

interface Props {
  /** the schedule to start from; null for the defaults (daily at 02:00) */
  initial?: Schedule | null;
  /** every change: the Schedule JSON to send, and whether it passed the form's own checks */
  onChange: (schedule: Schedule, valid: boolean) => void;
  /** problems the server named (PUT /api/tasks/{id}/schedule), by Schedule field */
  serverProblems?: FieldProblem[];
  /** the task being scheduled, which cannot be its own upstream */
  taskId?: number;
  /** the server's preview of each valid schedule (null while there is none) */
  onPreview?: (preview: SchedulePreview | null) => void;
}

/** The month's last day (-1) stands alone: picking it clears the numbered days, and back. */
function toggleDay(days: number[], day: number, on: boolean): number[] {
  if (!on) return days.filter((d) => d !== day);
  return day === -1 ? [-1] : [...days.filter((d) => d !== -1), day];
}

const CYCLES: Cycle[] = ['minute', 'hour', 'day', 'week', 'month', 'cron'];
const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/**
 * Every option of a task's schedule (issue 7): periodic by minute / hour / day / week / month or
 * a cron expression, or one-time; effective dates, dependency options, timeout, retries,
 * resources, upstream tasks. Beside it, live from the server: the generated cron expression, its
 * description and the next five fire times.
 */
export function ScheduleForm({ initial, onChange, serverProblems = [], taskId, onPreview }: Props) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<ScheduleDraft>(() => fromSchedule(initial));
  const schedule = useMemo(() => toSchedule(draft), [draft]);
  const problems = useMemo(() => validateSchedule(schedule), [schedule]);
  const [preview, setPreview] = useState<SchedulePreview | null>(null);
  const [previewProblems, setPreviewProblems] = useState<FieldProblem[]>([]);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [taskOptions, setTaskOptions] = useState<{ value: number; label: string }[]>([]);
  const json = JSON.stringify(schedule);

  useEffect(() => {
    onChange(schedule, problems.length === 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- announce each new schedule once
  }, [json]);

  useEffect(() => {
    onPreview?.(preview);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- announce each preview once
  }, [preview]);

  useEffect(() => {
    if (problems.length) {
      setPreview(null);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      schedulesApi.preview(schedule).then(
        (p) => {
          if (cancelled) return;
          setPreview(p);
          setPreviewProblems([]);
          setPreviewError(null);
        },
        (e) => {
          if (cancelled) return;
          setPreview(null);
          if (e instanceof ApiError && e.status === 400 && e.problems.length) {
            setPreviewProblems(e.problems);
            setPreviewError(null);
          } else {
            setPreviewProblems([]);
            setPreviewError(e instanceof Error ? e.message : String(e));
          }
        },
      );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the JSON text is the schedule; the description is in the UI's language
  }, [json, lang]);

  const searchTasks = (q: string) =>
    tasksApi.list({ q, page: 0, size: 20 }).then(
      (page) => setTaskOptions(page.items.filter((x) => x.id !== taskId).map((x) => ({ value: x.id, label: x.name }))),
      () => {},
    );

  useEffect(() => {
    if (draft.upstreamTaskIds.length) {
      Promise.all(draft.upstreamTaskIds.map((id) => tasksApi.get(id).catch(() => null))).then((tasks) =>
        setTaskOptions(tasks.flatMap((x) => (x ? [{ value: x.id, label: x.name }] : []))),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- names of the initial upstream tasks
  }, []);

  const set = (change: Partial<ScheduleDraft>) => setDraft((d) => ({ ...d, ...change }));

  const describe = (message: string) => {
    if (message.startsWith('range:')) return t('schedule.err.range', { range: message.slice(6) });
    return (SCHEDULE_ERRORS as readonly string[]).includes(message) ? t(`schedule.err.${message}` as MessageKey) : message;
  };
  const all = [...problems, ...previewProblems, ...serverProblems];
  const errorOf = (field: keyof Schedule) => all.find((p) => p.field === field);
  const item = (field: keyof Schedule) => {
    const p = errorOf(field);
    return p ? { validateStatus: 'error' as const, help: describe(p.message) } : {};
  };
  const known = new Set<string>(Object.keys(draft));
  const unplaced = [...previewProblems, ...serverProblems].filter((p) => !known.has(p.field));
  const mode = modeOf(draft.cycle, draft.mode);

  const timeItem = (
    <Form.Item label={t('schedule.time')} {...item('time')}>
      <TimePicker
        format="HH:mm"
        allowClear={false}
        value={/^\d\d:\d\d/.test(draft.time) ? dayjs(draft.time, draft.time.length > 5 ? 'HH:mm:ss' : 'HH:mm') : null}
        onChange={(v) => v && set({ time: v.format('HH:mm') })}
        needConfirm={false}
        data-testid="schedule-time"
      />
    </Form.Item>
  );

  return (
    <Flex gap={24} align="flex-start" wrap>
      <Form layout="horizontal" labelCol={{ flex: '160px' }} labelWrap style={{ flex: 1, minWidth: 460 }} data-testid="schedule-form">
        <Form.Item label={t('schedule.type')}>
          <Radio.Group value={draft.type} onChange={(e) => set({ type: e.target.value })} optionType="button" data-testid="schedule-type">
            <Radio value="periodic">{t('schedule.periodic')}</Radio>
            <Radio value="once">{t('schedule.once')}</Radio>
          </Radio.Group>
        </Form.Item>

        {draft.type === 'periodic' ? (
          <>
            <Form.Item label={t('schedule.cycle')}>
              <Radio.Group value={draft.cycle} onChange={(e) => set({ cycle: e.target.value })} data-testid="schedule-cycle">
                {CYCLES.map((c) => (
                  <Radio.Button key={c} value={c}>
                    {t(`schedule.cycle.${c}` as MessageKey)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>

            {draft.cycle === 'hour' && (
              <Form.Item label={t('schedule.mode')}>
                <Radio.Group value={draft.mode} onChange={(e) => set({ mode: e.target.value })} data-testid="schedule-mode">
                  <Radio value="interval">{t('schedule.mode.interval')}</Radio>
                  <Radio value="at">{t('schedule.mode.at')}</Radio>
                </Radio.Group>
              </Form.Item>
            )}

            {mode === 'interval' && (
              <Form.Item label={t('schedule.interval')} {...item('interval')}>
                <Space.Compact>
                  <InputNumber
                    min={1}
                    max={draft.cycle === 'hour' ? 23 : 59}
                    value={draft.interval}
                    onChange={(v) => set({ interval: v ?? 0 })}
                    data-testid="schedule-interval"
                  />
                  <Space.Addon>{t(draft.cycle === 'hour' ? 'schedule.hours' : 'schedule.minutes')}</Space.Addon>
                </Space.Compact>
              </Form.Item>
            )}

            {draft.cycle === 'hour' && mode === 'at' && (
              <Form.Item label={t('schedule.minuteOfHour')} {...item('minute')}>
                <InputNumber
                  min={0}
                  max={59}
                  value={draft.minute}
                  onChange={(v) => set({ minute: v ?? 0 })}
                  data-testid="schedule-minute"
                />
              </Form.Item>
            )}

            {draft.cycle === 'week' && (
              <Form.Item label={t('schedule.weekdays')} {...item('weekdays')}>
                <Checkbox.Group
                  value={draft.weekdays}
                  onChange={(v) => set({ weekdays: v as number[] })}
                  options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`weekday.${d}` as MessageKey) }))}
                  data-testid="schedule-weekdays"
                />
              </Form.Item>
            )}

            {draft.cycle === 'month' && (
              <Form.Item label={t('schedule.daysOfMonth')} {...item('daysOfMonth')}>
                <Flex wrap gap={4} style={{ maxWidth: 330 }} data-testid="schedule-days">
                  {[...Array.from({ length: 31 }, (_, i) => i + 1), -1].map((d) => (
                    <Tag.CheckableTag
                      key={d}
                      checked={draft.daysOfMonth.includes(d)}
                      onChange={(on) => set({ daysOfMonth: toggleDay(draft.daysOfMonth, d, on) })}
                      style={{ width: d === -1 ? 'auto' : 36, textAlign: 'center', border: '1px solid #d9d9d9' }}
                    >
                      {d === -1 ? t('schedule.lastDay') : d}
                    </Tag.CheckableTag>
                  ))}
                </Flex>
              </Form.Item>
            )}

            {(draft.cycle === 'day' || draft.cycle === 'week' || draft.cycle === 'month') && timeItem}

            {draft.cycle === 'cron' && (
              <Form.Item label={t('schedule.cron')} extra={t('schedule.cronHelp')} {...item('cron')}>
                <Input
                  value={draft.cron}
                  onChange={(e) => set({ cron: e.target.value })}
                  style={{ fontFamily: 'monospace' }}
                  data-testid="schedule-cron"
                />
              </Form.Item>
            )}

            <Form.Item
              label={t('schedule.effective')}
              extra={t('schedule.effectiveHelp')}
              {...item('effectiveTo')}
              {...item('effectiveFrom')}
            >
              <DatePicker.RangePicker
                allowEmpty={[true, true]}
                value={[draft.effectiveFrom ? dayjs(draft.effectiveFrom) : null, draft.effectiveTo ? dayjs(draft.effectiveTo) : null]}
                onChange={(range) =>
                  set({
                    effectiveFrom: range?.[0] ? range[0].format('YYYY-MM-DD') : null,
                    effectiveTo: range?.[1] ? range[1].format('YYYY-MM-DD') : null,
                  })
                }
              />
            </Form.Item>

            <Form.Item label={t('schedule.options')}>
              <Flex vertical gap={4}>
                <Checkbox
                  checked={draft.dependOnPrevious}
                  onChange={(e) => set({ dependOnPrevious: e.target.checked })}
                  data-testid="schedule-depend"
                >
                  {t('schedule.dependOnPrevious')}
                </Checkbox>
                <Checkbox checked={draft.offlineOnFailure} onChange={(e) => set({ offlineOnFailure: e.target.checked })}>
                  {t('schedule.offlineOnFailure')}
                </Checkbox>
                <Checkbox checked={draft.runOnOnline} onChange={(e) => set({ runOnOnline: e.target.checked })}>
                  {t('schedule.runOnOnline')}
                </Checkbox>
              </Flex>
            </Form.Item>
          </>
        ) : (
          <Form.Item label={t('schedule.runAt')} {...item('runAt')}>
            <Flex vertical gap={8}>
              <Radio.Group
                value={draft.runAt == null ? 'online' : 'at'}
                onChange={(e) =>
                  set({ runAt: e.target.value === 'online' ? null : dayjs().add(1, 'day').startOf('day').format('YYYY-MM-DDTHH:mm:ss') })
                }
                data-testid="schedule-runat-mode"
              >
                <Radio value="online">{t('schedule.whenOnline')}</Radio>
                <Radio value="at">{t('schedule.atTime')}</Radio>
              </Radio.Group>
              {draft.runAt != null && (
                <DatePicker
                  showTime={{ format: 'HH:mm:ss' }}
                  format="YYYY-MM-DD HH:mm:ss"
                  allowClear={false}
                  value={dayjs(draft.runAt)}
                  onChange={(v) => v && set({ runAt: v.format('YYYY-MM-DDTHH:mm:ss') })}
                />
              )}
            </Flex>
          </Form.Item>
        )}

        <Collapse
          ghost
          defaultActiveKey={['advanced']}
          items={[
            {
              key: 'advanced',
              label: t('schedule.advanced'),
              forceRender: true,
              children: (
                <>
                  <Form.Item label={t('schedule.timeout')} extra={t('schedule.timeoutHelp')} {...item('timeoutMinutes')}>
                    <Space.Compact>
                      <InputNumber
                        min={1}
                        value={draft.timeoutMinutes}
                        placeholder={String(defaultTimeoutMinutes(schedule))}
                        onChange={(v) => set({ timeoutMinutes: v ?? null })}
                        data-testid="schedule-timeout"
                      />
                      <Space.Addon>{t('schedule.minutes')}</Space.Addon>
                    </Space.Compact>
                  </Form.Item>
                  <Form.Item label={t('schedule.retries')} {...item('retries')}>
                    <Space wrap>
                      <InputNumber
                        min={0}
                        max={100}
                        value={draft.retries}
                        onChange={(v) => set({ retries: v ?? 0 })}
                        data-testid="schedule-retries"
                      />
                      <Typography.Text type="secondary">{t('schedule.retryDelay')}</Typography.Text>
                      <Space.Compact>
                        <InputNumber min={0} value={draft.retryDelaySeconds} onChange={(v) => set({ retryDelaySeconds: v ?? 0 })} />
                        <Space.Addon>{t('schedule.seconds')}</Space.Addon>
                      </Space.Compact>
                    </Space>
                  </Form.Item>
                  <Form.Item label={t('schedule.idempotent')} extra={t('schedule.idempotentHelp')} {...item('idempotent')}>
                    <Switch checked={draft.idempotent} onChange={(v) => set({ idempotent: v })} data-testid="schedule-idempotent" />
                  </Form.Item>
                  <Form.Item
                    label={t('schedule.resources')}
                    extra={t('schedule.resourcesHelp')}
                    {...item('cpuCores')}
                    {...item('memoryMb')}
                  >
                    <Space wrap>
                      <Space.Compact>
                        <InputNumber min={1} max={256} value={draft.cpuCores} onChange={(v) => set({ cpuCores: v ?? 0 })} />
                        <Space.Addon>{t('schedule.cores')}</Space.Addon>
                      </Space.Compact>
                      <Space.Compact>
                        <InputNumber min={64} step={256} value={draft.memoryMb} onChange={(v) => set({ memoryMb: v ?? 0 })} />
                        <Space.Addon>MB</Space.Addon>
                      </Space.Compact>
                    </Space>
                  </Form.Item>
                  <Form.Item label={t('schedule.upstream')} extra={t('schedule.upstreamHelp')} {...item('upstreamTaskIds')}>
                    <Select
                      mode="multiple"
                      showSearch={{ filterOption: false, onSearch: searchTasks }}
                      value={draft.upstreamTaskIds}
                      options={taskOptions}
                      onOpenChange={(open) => open && searchTasks('')}
                      onChange={(ids) => set({ upstreamTaskIds: ids })}
                      placeholder={t('schedule.upstreamPlaceholder')}
                    />
                  </Form.Item>
                  <Form.Item label={t('schedule.timeZone')} {...item('timeZone')}>
                    <Select
                      showSearch
                      allowClear
                      value={draft.timeZone ?? undefined}
                      placeholder={t('schedule.serverZone')}
                      onChange={(z) => set({ timeZone: z ?? null })}
                      options={TIME_ZONES.map((z) => ({ value: z, label: z }))}
                    />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />
        {unplaced.length > 0 && <Alert type="error" showIcon title={unplaced.map((p) => `${p.field}: ${p.message}`).join('; ')} />}
      </Form>

      <Card size="small" title={t('schedule.preview')} style={{ width: 340 }} data-testid="schedule-preview">
        {preview ? (
          <>
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'cron',
                  label: t('schedule.cron'),
                  children: (
                    <Typography.Text code data-testid="schedule-preview-cron">
                      {preview.cron}
                    </Typography.Text>
                  ),
                },
                { key: 'description', label: t('common.description'), children: preview.description },
                { key: 'timeout', label: t('schedule.timeout'), children: t('schedule.minutesCount', { count: preview.timeoutMinutes }) },
              ]}
            />
            <Typography.Text strong>{t('schedule.nextFires')}</Typography.Text>
            <ol style={{ margin: '4px 0 0', paddingLeft: 20 }} data-testid="schedule-next-fires">
              {preview.nextFireTimes.slice(0, 5).map((time) => (
                <li key={time}>{formatTime(time)}</li>
              ))}
            </ol>
            {!preview.nextFireTimes.length && <Typography.Text type="secondary">{t('schedule.noFires')}</Typography.Text>}
          </>
        ) : previewError ? (
          <Alert type="warning" showIcon title={t('schedule.previewUnavailable')} description={previewError} />
        ) : (
          <Typography.Text type="secondary">{problems.length ? t('schedule.fixToPreview') : t('common.loading')}</Typography.Text>
        )}
      </Card>
    </Flex>
  );
}
