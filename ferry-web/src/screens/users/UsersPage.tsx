import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { problemsOf, type FieldProblem } from '../../api/client';
import { usersApi, type AuditEntry, type Role, type User } from '../../api/auth';
import { useAuth } from '../../auth/AuthProvider';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { usePaged } from '../../components/usePaged';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

const ROLES: Role[] = ['admin', 'operator', 'viewer'];

/** Admins only: the users with their roles, and the audit log of who did what. */
export function UsersPage() {
  const t = useT();
  const { message } = App.useApp();
  const { me } = useAuth();
  const users = usePaged(usersApi.list, {});
  const audit = usePaged(usersApi.audit, {});
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);

  const remove = async (user: User) => {
    try {
      await usersApi.remove(user.username);
      message.success(t('common.deleted', { name: user.username }));
      users.reload();
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }));

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })}>
            {t('users.create')}
          </Button>
        }
      />
      <Tabs
        items={[
          {
            key: 'users',
            label: t('nav.users'),
            children: (
              <Table<User>
                rowKey="username"
                loading={users.loading}
                dataSource={users.items}
                pagination={users.pagination}
                columns={[
                  { title: t('login.username'), dataIndex: 'username' },
                  {
                    title: t('users.role'),
                    dataIndex: 'role',
                    render: (r: Role, user) => (
                      <>
                        <Tag color={r === 'admin' ? 'red' : r === 'operator' ? 'blue' : 'default'}>{t(`role.${r}` as MessageKey)}</Tag>
                        {r === 'viewer' && user.readRows && <Tag>{t('users.readRows')}</Tag>}
                      </>
                    ),
                  },
                  { title: t('common.created'), dataIndex: 'createdAt', render: formatTime },
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_, user) => (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setEditing({ user })}>
                          {t('common.edit')}
                        </Button>
                        {user.username !== me?.username && (
                          <Popconfirm
                            title={t('users.confirmDelete', { name: user.username })}
                            okButtonProps={{ danger: true }}
                            onConfirm={() => remove(user)}
                          >
                            <Button type="link" size="small" danger>
                              {t('common.delete')}
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'audit',
            label: t('users.audit'),
            children: (
              <Table<AuditEntry>
                rowKey="id"
                size="small"
                loading={audit.loading}
                dataSource={audit.items}
                pagination={audit.pagination}
                columns={[
                  { title: t('users.at'), dataIndex: 'at', width: 180, render: formatTime },
                  { title: t('login.username'), dataIndex: 'username', width: 120 },
                  { title: t('users.action'), dataIndex: 'action', width: 100, render: (a: string) => <Tag>{a}</Tag> },
                  { title: t('users.target'), key: 'target', width: 180, render: (_, e) => `${e.targetKind} ${e.targetId ?? ''}` },
                  { title: t('users.detail'), dataIndex: 'detail', ellipsis: true },
                ]}
              />
            ),
          },
        ]}
      />
      <UserModal
        open={!!editing}
        user={editing?.user ?? null}
        roleOptions={roleOptions}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          users.reload();
          audit.reload();
        }}
      />
    </>
  );
}

function UserModal({
  open,
  user,
  roleOptions,
  onClose,
  onSaved,
}: {
  open: boolean;
  user: User | null;
  roleOptions: { value: Role; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ username: string; password?: string; role: Role; readRows: boolean }>();
  const role = Form.useWatch('role', form);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setProblems([]);
    form.resetFields();
    form.setFieldsValue(user ? { username: user.username, role: user.role, readRows: user.readRows } : { role: 'viewer', readRows: false });
  }, [open, user, form]);

  const save = async () => {
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const readRows = v.role === 'viewer' && !!v.readRows;
      if (user) await usersApi.update(user.username, { role: v.role, password: v.password || undefined, readRows });
      else await usersApi.create({ username: v.username, password: v.password!, role: v.role, readRows });
      onSaved();
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={user ? t('users.editTitle', { name: user.username }) : t('users.create')}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <ProblemAlert problems={problems} />
      <Form form={form} layout="vertical">
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('form.required') }]}>
          <Input disabled={!!user} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? t('users.newPassword') : t('login.password')}
          rules={user ? [] : [{ required: true, message: t('form.required') }]}
          extra={user ? t('users.keepPassword') : undefined}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={roleOptions} />
        </Form.Item>
        {role === 'viewer' && (
          <Form.Item name="readRows" label={t('users.readRows')} valuePropName="checked" extra={t('users.readRowsHelp')}>
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
