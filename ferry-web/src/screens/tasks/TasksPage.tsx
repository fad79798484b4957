import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Card, Dropdown, Flex, Input, Popconfirm, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CaretRightOutlined, DownOutlined, PlusOutlined } from '@ant-design/icons';
import type { ColumnType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router-dom';
import { foldersApi, tasksApi, type Folder, type Task } from '../../api/tasks';
import { useAuth } from '../../auth/AuthProvider';
import { EmptyState } from '../../components/EmptyState';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePaged } from '../../components/usePaged';
import { useT } from '../../i18n';
import { BatchCreateModal } from './BatchCreateModal';
import { DataxImportModal } from './DataxImportModal';
import { FolderTree } from './FolderTree';
import { useTaskActions } from './useTaskActions';

type OnlineFilter = 'all' | 'online' | 'offline';

/** Tasks by folder, searchable and filterable, with single and batch run / online / offline / delete. */
export function TasksPage() {
  const t = useT();
  const navigate = useNavigate();
  const { canOperate } = useAuth();
  const [folders, setFolders] = useState<Folder[]>([]);
  const [folderId, setFolderId] = useState<number | null>(null);
  const [q, setQ] = useState('');
  const [online, setOnline] = useState<OnlineFilter>('all');
  const [selected, setSelected] = useState<number[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const [dataxOpen, setDataxOpen] = useState(false);
  const list = usePaged(tasksApi.list, {
    q,
    folderId: folderId ?? undefined,
    online: online === 'all' ? undefined : online === 'online',
  });
  const loadFolders = useCallback(() => foldersApi.tree().then(setFolders, () => {}), []);
  useEffect(() => {
    loadFolders();
  }, [loadFolders]);
  const refresh = () => {
    list.reload();
    loadFolders();
  };
  const actions = useTaskActions(refresh);
  const afterBatch = (ok: boolean) => ok && setSelected([]);

  // Only operators and admins see actions: everything here changes or runs something.
  const actionsColumn: ColumnType<Task> = {
    title: t('common.actions'),
    key: 'actions',
    width: 250,
    render: (_, task) => (
      <Space size={0} wrap>
        <Button
          type="link"
          size="small"
          icon={<CaretRightOutlined />}
          onClick={() => actions.run(task)}
          data-testid={`task-run-${task.name}`}
        >
          {t('task.run')}
        </Button>
        {task.online ? (
          <Button type="link" size="small" onClick={() => actions.offline(task)}>
            {t('task.goOffline')}
          </Button>
        ) : (
          <Tooltip title={task.scheduled ? undefined : t('task.onlineNeedsSchedule')}>
            <Button
              type="link"
              size="small"
              disabled={!task.scheduled}
              onClick={() => actions.online(task)}
              data-testid={`task-online-${task.name}`}
            >
              {t('task.goOnline')}
            </Button>
          </Tooltip>
        )}
        <Button type="link" size="small" onClick={() => navigate(`/tasks/${task.id}/${task.mode === 'wizard' ? 'edit' : 'script'}`)}>
          {t('common.edit')}
        </Button>
        <Popconfirm
          title={t('task.confirmDelete', { name: task.name })}
          okButtonProps={{ danger: true }}
          onConfirm={() => actions.remove(task)}
        >
          <Button type="link" size="small" danger>
            {t('common.delete')}
          </Button>
        </Popconfirm>
      </Space>
    ),
  };

  const newTask = (path: string) => navigate(folderId == null ? path : `${path}?folderId=${folderId}`);
  // Only a scheduled task goes online: a selection with an unscheduled one cannot.
  const unscheduled = list.items.filter((task) => selected.includes(task.id) && !task.scheduled).map((task) => task.name);

  return (
    <Flex gap={16} align="flex-start">
      <Card size="small" title={t('folder.title')} style={{ width: 240, flex: 'none' }}>
        <FolderTree folders={folders} selected={folderId} onSelect={setFolderId} onChanged={loadFolders} />
      </Card>
      <div style={{ flex: 1, minWidth: 0 }}>
        <PageHeader
          title={t('nav.tasks')}
          extra={
            canOperate && (
              <Dropdown.Button
                type="primary"
                icon={<DownOutlined />}
                onClick={() => newTask('/tasks/new')}
                menu={{
                  items: [
                    { key: 'script', label: t('task.newScript'), onClick: () => newTask('/tasks/new-script') },
                    { key: 'batch', label: t('task.batchCreate'), onClick: () => setBatchOpen(true) },
                    { key: 'datax', label: t('datax.import'), onClick: () => setDataxOpen(true) },
                  ],
                }}
                data-testid="task-create"
              >
                <PlusOutlined /> {t('task.newWizard')}
              </Dropdown.Button>
            )
          }
        />
        <Flex gap={12} wrap style={{ marginBottom: 12 }} align="center">
          <Input.Search allowClear placeholder={t('task.search')} onSearch={setQ} style={{ width: 260 }} data-testid="task-search" />
          <Segmented<OnlineFilter>
            value={online}
            onChange={setOnline}
            options={[
              { value: 'all', label: t('task.filterAll') },
              { value: 'online', label: t('task.online') },
              { value: 'offline', label: t('task.offline') },
            ]}
          />
          {canOperate && selected.length > 0 && (
            <Space wrap>
              <Typography.Text type="secondary">{t('common.selected', { count: selected.length })}</Typography.Text>
              <Button onClick={async () => afterBatch(await actions.runAll(selected))}>{t('task.run')}</Button>
              <Tooltip title={unscheduled.length ? t('task.batchOnlineNeedsSchedule', { names: unscheduled.join(', ') }) : undefined}>
                <Button disabled={unscheduled.length > 0} onClick={async () => afterBatch(await actions.onlineAll(selected))}>
                  {t('task.goOnline')}
                </Button>
              </Tooltip>
              <Button onClick={async () => afterBatch(await actions.offlineAll(selected))}>{t('task.goOffline')}</Button>
              <Popconfirm
                title={t('task.confirmBatchDelete', { count: selected.length })}
                okButtonProps={{ danger: true }}
                onConfirm={async () => afterBatch(await actions.removeAll(selected))}
              >
                <Button danger>{t('common.delete')}</Button>
              </Popconfirm>
            </Space>
          )}
        </Flex>
        <Table<Task>
          rowKey="id"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          rowSelection={canOperate ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) } : undefined}
          locale={{
            emptyText: (
              <EmptyState
                text={q || online !== 'all' ? t('task.noMatch') : t('task.empty')}
                action={
                  canOperate && !q ? (
                    <Button type="primary" onClick={() => newTask('/tasks/new')}>
                      {t('task.newWizard')}
                    </Button>
                  ) : null
                }
              />
            ),
          }}
          columns={[
            { title: t('task.name'), dataIndex: 'name', render: (name: string, task) => <Link to={`/tasks/${task.id}`}>{name}</Link> },
            {
              title: t('task.mode'),
              dataIndex: 'mode',
              width: 100,
              render: (mode: string) => <Tag>{t(mode === 'wizard' ? 'task.wizard' : 'task.script')}</Tag>,
            },
            {
              title: t('task.status'),
              dataIndex: 'online',
              width: 110,
              render: (on: boolean) => <Badge status={on ? 'success' : 'default'} text={on ? t('task.online') : t('task.offline')} />,
            },
            {
              title: t('task.schedule'),
              dataIndex: 'scheduleDescription',
              ellipsis: true,
              render: (d: string | null) => d ?? <Typography.Text type="secondary">{t('task.unscheduled')}</Typography.Text>,
            },
            { title: t('common.updated'), dataIndex: 'updatedAt', width: 180, render: formatTime },
            ...(canOperate ? [actionsColumn] : []),
          ]}
        />
      </div>
      <DataxImportModal
        open={dataxOpen}
        folderId={folderId}
        folders={folders}
        onClose={() => setDataxOpen(false)}
        onImported={() => {
          setDataxOpen(false);
          refresh();
        }}
      />
      <BatchCreateModal
        open={batchOpen}
        folderId={folderId}
        folders={folders}
        onClose={() => setBatchOpen(false)}
        onCreated={() => {
          setBatchOpen(false);
          refresh();
        }}
      />
    </Flex>
  );
}
