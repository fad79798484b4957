import { Avatar, Dropdown, Flex, Layout, Menu, Tag, Typography, type MenuProps } from 'antd';
import {
  AlertOutlined,
  ApiOutlined,
  ApartmentOutlined,
  CheckOutlined,
  ClusterOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  GlobalOutlined,
  HistoryOutlined,
  ProfileOutlined,
  LogoutOutlined,
  NodeIndexOutlined,
  ShareAltOutlined,
  SyncOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthProvider';
import { NoticeBell } from '../components/NoticeBell';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

const SECTIONS: { path: string; label: MessageKey; icon: React.ReactNode; admin?: boolean }[] = [
  { path: '/', label: 'nav.dashboard', icon: <DashboardOutlined /> },
  { path: '/datasources', label: 'nav.datasources', icon: <DatabaseOutlined /> },
  { path: '/tasks', label: 'nav.tasks', icon: <NodeIndexOutlined /> },
  { path: '/history', label: 'nav.history', icon: <HistoryOutlined /> },
  { path: '/dependencies', label: 'nav.dependencies', icon: <ApartmentOutlined /> },
  { path: '/sync', label: 'nav.sync', icon: <SyncOutlined /> },
  { path: '/catalog', label: 'nav.catalog', icon: <ProfileOutlined /> },
  { path: '/mining', label: 'nav.mining', icon: <ShareAltOutlined /> },
  { path: '/alerts', label: 'nav.alerts', icon: <AlertOutlined /> },
  { path: '/nodes', label: 'nav.nodes', icon: <ClusterOutlined /> },
  { path: '/groups', label: 'nav.groups', icon: <DeploymentUnitOutlined /> },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, admin: true },
];

/** The frame of every screen after the login: navigation, the user menu, the screen. */
export function AppLayout() {
  const { me, isAdmin, logout } = useAuth();
  const { lang, setLang, t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const selected =
    SECTIONS.filter((s) => s.path !== '/' && location.pathname.startsWith(s.path)).map((s) => s.path)[0] ??
    (location.pathname.startsWith('/runs') ? '/history' : '/');

  const userMenu: MenuProps['items'] = [
    {
      key: 'role',
      disabled: true,
      label: t('user.role', { role: t(`role.${me!.roles[0] ?? 'viewer'}` as MessageKey) }),
    },
    { type: 'divider' },
    {
      key: 'lang',
      icon: <GlobalOutlined />,
      label: t('user.language'),
      children: [
        { key: 'lang-en', label: 'English', icon: lang === 'en' ? <CheckOutlined /> : <span />, onClick: () => setLang('en') },
        { key: 'lang-zh', label: '简体中文', icon: lang === 'zh' ? <CheckOutlined /> : <span />, onClick: () => setLang('zh') },
      ],
    },
    { key: 'logout', icon: <LogoutOutlined />, label: t('user.logout'), onClick: () => logout() },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={64} theme="dark" width={208}>
        <Flex align="center" gap={8} style={{ height: 56, padding: '0 20px', color: '#fff' }}>
          <ApiOutlined style={{ fontSize: 20 }} />
          <Typography.Text strong style={{ color: '#fff', fontSize: 18 }}>
            Ferry
          </Typography.Text>
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          onClick={({ key }) => navigate(key)}
          items={SECTIONS.filter((s) => !s.admin || isAdmin).map((s) => ({ key: s.path, icon: s.icon, label: t(s.label) }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <div style={{ marginRight: 16 }}>
            <NoticeBell />
          </div>
          <Dropdown menu={{ items: userMenu }} trigger={['click']} placement="bottomRight">
            <Flex align="center" gap={8} style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} />
              <span>{me!.username}</span>
              <Tag>{t(`role.${me!.roles[0] ?? 'viewer'}` as MessageKey)}</Tag>
            </Flex>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
