import { Tag } from 'antd';
import type { InstanceState, RunState } from '../api/runs';
import { useT } from '../i18n';
import type { MessageKey } from '../i18n/messages';

const COLORS: Record<string, string> = {
  QUEUED: 'default',
  CREATED: 'default',
  WAITING: 'default',
  RUNNING: 'processing',
  PAUSED: 'warning',
  SUCCEEDED: 'success',
  FAILED: 'error',
  TIMED_OUT: 'error',
  STOPPED: 'default',
  SKIPPED: 'default',
};

/** A run's or an instance's state, in its colour and the user's language. */
export function StateTag({ state }: { state: RunState | InstanceState }) {
  const t = useT();
  return (
    <Tag color={COLORS[state] ?? 'default'} data-state={state}>
      {t(`state.${state}` as MessageKey)}
    </Tag>
  );
}
