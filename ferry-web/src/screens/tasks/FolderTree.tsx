import { useState } from 'react';
import { App, Button, Flex, Input, Modal, Popconfirm, Tooltip, Tree } from 'antd';
import { DeleteOutlined, EditOutlined, FolderAddOutlined, FolderOutlined } from '@ant-design/icons';
import type { DataNode } from 'antd/es/tree';
import { problemsOf } from '../../api/client';
import { foldersApi, type Folder } from '../../api/tasks';
import { useAuth } from '../../auth/AuthProvider';
import { useT } from '../../i18n';

const ALL = 'all';

function nodes(folders: Folder[]): DataNode[] {
  return folders.map((f) => ({
    key: String(f.id),
    title: `${f.name}${f.tasks.length ? ` (${f.tasks.length})` : ''}`,
    icon: <FolderOutlined />,
    children: nodes(f.children),
  }));
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

function find(folders: Folder[], id: number): Folder | undefined {
  for (const f of folders) {
    if (f.id === id) return f;
    const inner = find(f.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** The task folders: pick one to list its tasks; add, rename and delete (empty) folders. */
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
  const [editing, setEditing] = useState<{ id: number | null; parentId: number | null; name: string } | null>(null);
  const current = selected == null ? undefined : find(folders, selected);

  const save = async () => {
    if (!editing) return;
    try {
      if (editing.id == null) await foldersApi.create(editing.name, editing.parentId);
      else await foldersApi.update(editing.id, editing.name, editing.parentId);
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
            <Button size="small" icon={<FolderAddOutlined />} onClick={() => setEditing({ id: null, parentId: selected, name: '' })} />
          </Tooltip>
          <Tooltip title={t('folder.rename')}>
            <Button
              size="small"
              icon={<EditOutlined />}
              disabled={!current}
              onClick={() => current && setEditing({ id: current.id, parentId: current.parentId, name: current.name })}
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
        defaultExpandAll
        selectedKeys={[selected == null ? ALL : String(selected)]}
        onSelect={(keys) => keys[0] && onSelect(keys[0] === ALL ? null : Number(keys[0]))}
        treeData={[{ key: ALL, title: t('folder.all'), icon: <FolderOutlined />, children: nodes(folders) }]}
      />
      <Modal
        open={!!editing}
        title={editing?.id == null ? t('folder.new') : t('folder.rename')}
        onCancel={() => setEditing(null)}
        onOk={save}
        okButtonProps={{ disabled: !editing?.name.trim() }}
        destroyOnHidden
      >
        <Input
          autoFocus
          value={editing?.name}
          placeholder={t('folder.name')}
          onChange={(e) => editing && setEditing({ ...editing, name: e.target.value })}
          onPressEnter={save}
        />
      </Modal>
    </>
  );
}
