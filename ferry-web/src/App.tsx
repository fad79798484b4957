import { App as AntApp, Spin } from 'antd';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/AuthProvider';
import { NoPermission } from './components/NoPermission';
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
import { AlertsPage } from './screens/alerts/AlertsPage';
import { NodesPage } from './screens/nodes/NodesPage';
import { ResourceGroupsPage } from './screens/groups/ResourceGroupsPage';
import { MiningPage } from './screens/mining/MiningPage';
import { SyncStatusPage } from './screens/monitoring/SyncStatusPage';
import { DependenciesPage } from './screens/monitoring/DependenciesPage';
import { CatalogPage } from './screens/catalog/CatalogPage';
import { CatalogTablePage } from './screens/catalog/CatalogTablePage';

/**
 * Hash routes: the server serves index.html at "/" and needs no fallback for deep links. A screen
 * the user's role may not use says so (a viewer on a form that changes things).
 */
export function Routed() {
  const { me, canOperate, isAdmin } = useAuth();
  if (me === undefined) return <Spin fullscreen />;
  if (me === null) return <LoginPage />;
  const operator = (screen: React.ReactElement) => (canOperate ? screen : <NoPermission />);
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<DashboardPage />} />
        <Route path="datasources" element={<DataSourcesPage />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="tasks/new" element={operator(<TaskWizard />)} />
        <Route path="tasks/new-script" element={operator(<ScriptEditorPage />)} />
        <Route path="tasks/:id" element={<TaskDetailPage />} />
        <Route path="tasks/:id/edit" element={operator(<TaskWizard />)} />
        <Route path="tasks/:id/script" element={operator(<ScriptEditorPage />)} />
        <Route path="runs/:id" element={<RunMonitorPage />} />
        <Route path="history" element={<HistoryPage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route path="catalog/tables/:id" element={<CatalogTablePage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="nodes" element={<NodesPage />} />
        <Route path="groups" element={<ResourceGroupsPage />} />
        <Route path="mining" element={<MiningPage />} />
        <Route path="sync" element={<SyncStatusPage />} />
        <Route path="dependencies" element={<DependenciesPage />} />
        <Route path="users" element={isAdmin ? <UsersPage /> : <NoPermission />} />
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
