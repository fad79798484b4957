import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { problemsOf, type FieldProblem } from '../../api/client';
import { instancesApi, type Instance } from '../../api/runs';
import { ProblemAlert } from '../../components/problems';
import { TaskSelect } from '../../components/TaskSelect';
import { useT } from '../../i18n';

/** Backfill: one instance per cycle of a date range, as the task's schedule and options say. */
export function BackfillModal({
  open,
  taskId,
  onClose,
  onDone,
}: {
  open: boolean;
  taskId?: number;
  onClose: () => void;
  onDone: (created: Instance[]) => void;
}) {
  const t = useT();
  const [task, setTask] = useState<number | undefined>(taskId);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      setTask(taskId);
      setRange(null);
      setProblems([]);
    }
  }, [open, taskId]);

  const submit = async () => {
    if (!task || !range?.[0] || !range[1]) return;
    setBusy(true);
    try {
      onDone(await instancesApi.backfill(task, range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD')));
    } catch (e) {
      setProblems(problemsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('backfill.title')}
      onCancel={onClose}
      onOk={submit}
      okText={t('backfill.submit')}
      okButtonProps={{ disabled: !task || !range?.[0] || !range?.[1], loading: busy }}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('backfill.help')} style={{ marginBottom: 16 }} />
      <ProblemAlert problems={problems} />
      <Form layout="vertical">
        <Form.Item label={t('run.task')} required>
          <TaskSelect value={task} onChange={setTask} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('backfill.range')} required>
          <DatePicker.RangePicker value={range} onChange={(r) => setRange(r)} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
