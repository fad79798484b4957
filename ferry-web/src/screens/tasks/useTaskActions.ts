import { App } from 'antd';
import { useNavigate } from 'react-router-dom';
import { problemsOf } from '../../api/client';
import { runsApi } from '../../api/runs';
import { tasksApi, type Task } from '../../api/tasks';
import { useT } from '../../i18n';

/** Run, online, offline and delete, single or batch, each reporting how it went. */
export function useTaskActions(onDone: () => void) {
  const t = useT();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();

  const attempt = async (action: () => Promise<unknown>, success: string) => {
    try {
      await action();
      message.success(success);
      onDone();
      return true;
    } catch (e) {
      message.error(
        problemsOf(e)
          .map((p) => (p.field ? `${p.field}: ${p.message}` : p.message))
          .join('; '),
        8,
      );
      return false;
    }
  };

  return {
    /** starts a run and opens its monitor */
    run: async (task: Task) => {
      try {
        const run = await runsApi.start(task.id);
        navigate(`/runs/${run.id}`);
      } catch (e) {
        message.error(problemsOf(e)[0].message, 8);
      }
    },
    runAll: (ids: number[]) => attempt(() => Promise.all(ids.map((id) => runsApi.start(id))), t('task.runsStarted', { count: ids.length })),
    online: (task: Pick<Task, 'id' | 'name'>) => attempt(() => tasksApi.online(task.id), t('task.isOnline', { name: task.name })),
    /**
     * After a schedule was saved for a task that is offline (where it never fires): asks whether to
     * put it online now; resolves once the person answered.
     */
    offerOnline: (task: Pick<Task, 'id' | 'name'>) =>
      new Promise<void>((resolve) => {
        modal.confirm({
          title: t('task.offerOnlineTitle', { name: task.name }),
          content: t('task.offerOnline'),
          okText: t('task.goOnlineNow'),
          cancelText: t('task.stayOffline'),
          onOk: async () => {
            await attempt(() => tasksApi.online(task.id), t('task.isOnline', { name: task.name }));
            resolve();
          },
          onCancel: () => resolve(),
        });
      }),
    offline: (task: Task) => attempt(() => tasksApi.offline(task.id), t('task.isOffline', { name: task.name })),
    onlineAll: (ids: number[]) => attempt(() => tasksApi.batchOnline(ids), t('task.batchOnline', { count: ids.length })),
    offlineAll: (ids: number[]) => attempt(() => tasksApi.batchOffline(ids), t('task.batchOffline', { count: ids.length })),
    remove: (task: Task) => attempt(() => tasksApi.remove(task.id), t('common.deleted', { name: task.name })),
    removeAll: (ids: number[]) => attempt(() => tasksApi.batchDelete(ids), t('task.batchDeleted', { count: ids.length })),
  };
}
