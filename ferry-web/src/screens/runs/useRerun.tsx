import { App, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { runsApi, type RerunCheck, type Run } from '../../api/runs';
import { formatCount } from '../../components/format';
import { useT } from '../../i18n';

/**
 * Reruns a run once the person confirmed, and opens the new run. A rerun executes the run's script
 * again from the start: when the run already wrote rows in insert mode, the confirmation warns
 * that they would be inserted again and names the write modes that avoid it.
 */
export function useRerun() {
  const t = useT();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();

  const rerun = async (run: Pick<Run, 'id'>) => {
    try {
      const next = await runsApi.rerun(run.id);
      navigate(`/runs/${next.id}`);
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };

  return async (run: Pick<Run, 'id' | 'taskId'>) => {
    let check: RerunCheck | null = null;
    try {
      check = await runsApi.rerunCheck(run.id);
    } catch {
      // nothing to warn about: the rerun itself reports what is wrong
    }
    if (!check?.repeatsRows) {
      modal.confirm({ title: t('run.confirmRerun', { id: run.id }), okText: t('run.rerun'), onOk: () => rerun(run) });
      return;
    }
    const others = check.writeModes.filter((m) => m !== check.writeMode);
    const dialog = modal.confirm({
      type: 'warning',
      width: 520,
      title: t('rerun.repeatsTitle', { id: run.id }),
      content: (
        <div data-testid="rerun-warning">
          <p>{t('rerun.repeats', { rows: formatCount(check.recordsWritten), mode: check.writeMode ?? '' })}</p>
          <p>{others.length ? t('rerun.otherModes', { modes: others.join(', ') }) : t('rerun.noOtherMode')}</p>
        </div>
      ),
      okText: t('rerun.anyway'),
      okButtonProps: { danger: true },
      onOk: () => rerun(run),
      footer: (_, { OkBtn, CancelBtn }) => (
        <>
          <CancelBtn />
          {run.taskId != null && (
            <Button
              onClick={() => {
                dialog.destroy();
                navigate(`/tasks/${run.taskId}/edit`);
              }}
            >
              {t('rerun.editTask')}
            </Button>
          )}
          <OkBtn />
        </>
      ),
    });
  };
}
