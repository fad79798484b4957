import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, Modal, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { problemsOf } from '../../api/client';
import { runsApi, type LogLine } from '../../api/runs';
import { useT } from '../../i18n';

const LEVEL_COLORS: Record<string, string> = { WARN: '#faad14', ERROR: '#ff4d4f' };

/** A run's log, newest at the bottom; `follow` polls for new lines while the run lives. */
export function RunLog({ runId, follow, height = 320 }: { runId: number; follow?: boolean; height?: number }) {
  const t = useT();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      runsApi.log(runId).then(
        (l) => !cancelled && setLines(l),
        (e) => !cancelled && setError(problemsOf(e)[0].message),
      );
    load();
    const timer = follow ? setInterval(load, 2000) : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [runId, follow]);

  useEffect(() => {
    box.current?.scrollTo({ top: box.current.scrollHeight });
  }, [lines.length]);

  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Flex justify="flex-end" style={{ marginBottom: 8 }}>
        <Button size="small" icon={<DownloadOutlined />} href={runsApi.logDownloadUrl(runId)}>
          {t('run.downloadLog')}
        </Button>
      </Flex>
      <div
        ref={box}
        data-testid="run-log"
        style={{
          height,
          overflow: 'auto',
          background: '#141414',
          color: '#d9d9d9',
          fontFamily: 'monospace',
          fontSize: 12,
          padding: 12,
          borderRadius: 6,
          whiteSpace: 'pre-wrap',
        }}
      >
        {lines.length === 0 && <Typography.Text style={{ color: '#8c8c8c' }}>{t('run.noLog')}</Typography.Text>}
        {lines.map((l, i) => (
          <div key={i}>
            <span style={{ color: '#8c8c8c' }}>{l.at.replace('T', ' ').slice(0, 23)}</span>{' '}
            <span style={{ color: LEVEL_COLORS[l.level] ?? '#69b1ff' }}>{l.level.padEnd(5)}</span> {l.line}
          </div>
        ))}
      </div>
    </>
  );
}

export function RunLogModal({ runId, onClose }: { runId: number | null; onClose: () => void }) {
  const t = useT();
  return (
    <Modal open={runId != null} onCancel={onClose} footer={null} width={960} title={t('run.logOf', { id: runId ?? '' })} destroyOnHidden>
      {runId != null && <RunLog runId={runId} height={480} />}
    </Modal>
  );
}
