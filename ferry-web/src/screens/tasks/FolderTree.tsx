import { useEffect, useRef, useState } from 'react';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Tooltip, Tree } from 'antd';
import { DeleteOutlined, EditOutlined, FolderAddOutlined, FolderOutlined } from '@ant-design/icons';
import type { DataNode } from 'antd/es/tree';
import { problemsOf } from '../../api/client';
import { foldersApi, type Folder, type FolderRequest } from '../../api/tasks';
import { useAuth } from '../../auth/AuthProvider';
import { useT } from '../../i18n';

const ALL = 'all';

/** The tree's nodes: each folder's name and task count, its description in a tooltip. */
function nodes(folders: Folder[]): DataNode[] {
  return folders.map((f) => {
    const title = `${f.name}${f.tasks.length ? ` (${f.tasks.length})` : ''}`;
    return {
      key: String(f.id),
      title: f.description ? (
        <Tooltip title={f.description} placement="right">
          <span data-testid={`folder-${f.name}`}>{title}</span>
        </Tooltip>
      ) : (
        <span data-testid={`folder-${f.name}`}>{title}</span>
      ),
      icon: <FolderOutlined />,
      children: nodes(f.children),
    };
  });
}

/** Folders as a TreeSelect's options. */
export interface FolderOption {
  value: number;
  title: string;
  children: FolderOption[];
}

export function folderTree(folders: Folder[]): FolderOption[] {
  return folders.map((f) => ({ value: f.id, title: f.name, children: folderTree(f.children) }));
}

function keys(folders: Folder[]): string[] {
  return folders.flatMap((f) => [String(f.id), ...keys(f.children)]);
}

function find(folders: Folder[], id: number): Folder | undefined {
  for (const f of folders) {
    if (f.id === id) return f;
    const inner = find(f.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** The task folders: pick one to list its tasks; add, edit (name, description) and delete (empty) folders. */
export function FolderTree({
  folders,
  selected,
  onSelect,
  onChanged,
}: {
  folders: Folder[];
  selected: number | null;
  onSelect: (id: number | null) => void;
  onChanged: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [editing, setEditing] = useState<({ id: number | null } & FolderRequest) | null>(null);
  const current = selected == null ? undefined : find(folders, selected);
  // Every folder shows expanded when it first appears (a new one too); what the person folds stays folded.
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  const seen = useRef(new Set<string>());
  useEffect(() => {
    const fresh = [ALL, ...keys(folders)].filter((k) => !seen.current.has(k));
    fresh.forEach((k) => seen.current.add(k));
    if (fresh.length) setExpanded((e) => [...e, ...fresh]);
  }, [folders]);

  const save = async () => {
    if (!editing) return;
    try {
      const { id, ...folder } = editing;
      if (id == null) await foldersApi.create(folder);
      else await foldersApi.update(id, folder);
      setEditing(null);
      onChanged();
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  const remove = async () => {
    if (!current) return;
    try {
      await foldersApi.remove(current.id);
      onSelect(null);
      onChanged();
    } catch (e) {
      message.error(problemsOf(e)[0].message);
    }
  };

  return (
    <>
      {canOperate && (
        <Flex gap={4} style={{ marginBottom: 8 }}>
          <Tooltip title={t('folder.new')}>
            <Button
              size="small"
              icon={<FolderAddOutlined />}
              onClick={() => setEditing({ id: null, parentId: selected, name: '', description: '' })}
              data-testid="folder-new"
            />
          </Tooltip>
          <Tooltip title={t('folder.edit')}>
            <Button
              size="small"
              icon={<EditOutlined />}
              disabled={!current}
              onClick={() =>
                current &&
                setEditing({ id: current.id, parentId: current.parentId, name: current.name, description: current.description ?? '' })
              }
              data-testid="folder-edit"
            />
          </Tooltip>
          <Popconfirm
            title={t('folder.confirmDelete', { name: current?.name ?? '' })}
            onConfirm={remove}
            okButtonProps={{ danger: true }}
            disabled={!current}
          >
            <Tooltip title={t('folder.delete')}>
              <Button size="small" danger icon={<DeleteOutlined />} disabled={!current} />
            </Tooltip>
          </Popconfirm>
        </Flex>
      )}
      <Tree
        showIcon
        blockNode
        expandedKeys={expanded}
        onExpand={setExpanded}
        selectedKeys={[selected == null ? ALL : String(selected)]}
        onSelect={(keys) => keys[0] && onSelect(keys[0] === ALL ? null : Number(keys[0]))}
        treeData={[{ key: ALL, title: t('folder.all'), icon: <FolderOutlined />, children: nodes(folders) }]}
      />
      <Modal
        open={!!editing}
        title={editing?.id == null ? t('folder.new') : t('folder.edit')}
        onCancel={() => setEditing(null)}
        onOk={save}
        okButtonProps={{ disabled: !editing?.name.trim() }}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('folder.name')} required>
            <Input
              autoFocus
              value={editing?.name}
              maxLength={200}
              onChange={(e) => editing && setEditing({ ...editing, name: e.target.value })}
              onPressEnter={save}
              data-testid="folder-name"
            />
          </Form.Item>
          <Form.Item label={t('common.description')} extra={t('folder.descriptionHelp')}>
            <Input.TextArea
              value={editing?.description ?? ''}
              maxLength={2000}
              autoSize={{ minRows: 2, maxRows: 6 }}
              onChange={(e) => editing && setEditing({ ...editing, description: e.target.value })}
              data-testid="folder-description"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
