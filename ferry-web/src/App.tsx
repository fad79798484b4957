import { App as AntApp, Spin } from 'antd';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/AuthProvider';
import { I18nProvider } from './i18n';
import { AppLayout } from './screens/AppLayout';
import { LoginPage } from './screens/login/LoginPage';
import { DashboardPage } from './screens/dashboard/DashboardPage';
import { DataSourcesPage } from './screens/datasources/DataSourcesPage';
import { TasksPage } from './screens/tasks/TasksPage';
import { TaskDetailPage } from './screens/tasks/TaskDetailPage';
import { TaskWizard } from './screens/tasks/wizard/TaskWizard';
import { ScriptEditorPage } from './screens/tasks/ScriptEditorPage';
import { RunMonitorPage } from './screens/runs/RunMonitorPage';
import { HistoryPage } from './screens/history/HistoryPage';
import { UsersPage } from './screens/users/UsersPage';

/** Hash routes: the server serves index.html at "/" and needs no fallback for deep links. */
function Routed() {
  const { me, canOperate, isAdmin } = useAuth();
  if (me === undefined) return <Spin fullscreen />;
  if (me === null) return <LoginPage />;
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<DashboardPage />} />
        <Route path="datasources" element={<DataSourcesPage />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="tasks/:id" element={<TaskDetailPage />} />
        {canOperate && <Route path="tasks/new" element={<TaskWizard />} />}
        {canOperate && <Route path="tasks/new-script" element={<ScriptEditorPage />} />}
        {canOperate && <Route path="tasks/:id/edit" element={<TaskWizard />} />}
        {canOperate && <Route path="tasks/:id/script" element={<ScriptEditorPage />} />}
        <Route path="runs/:id" element={<RunMonitorPage />} />
        <Route path="history" element={<HistoryPage />} />
        {isAdmin && <Route path="users" element={<UsersPage />} />}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <I18nProvider>
      <AntApp>
        <AuthProvider>
          <HashRouter>
            <Routed />
          </HashRouter>
        </AuthProvider>
      </AntApp>
    </I18nProvider>
  );
}
