import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Empty, Flex, Popover, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { alertsApi, type Notice } from '../api/alerts';
import { useLiveMessages } from '../api/live';
import { useT } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { formatTime } from './format';

const EVENT_COLOR: Record<Notice['event'], string> = { firing: 'red', repeat: 'orange', recovered: 'green', test: 'blue' };

/**
 * The bell in the header: the user's unread notices counted (a new one arrives over the WebSocket),
 * the latest ten on click, each marked read when clicked, or all at once.
 */
export function NoticeBell() {
  const t = useT();
  const [unread, setUnread] = useState(0);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [open, setOpen] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [count, page] = await Promise.all([alertsApi.unreadCount(), alertsApi.notices({ size: 10 })]);
      setUnread(count.unread);
      setNotices(page.items);
    } catch {
      // the bell stays as it was; the next notice or opening tries again
    }
  }, []);

  useEffect(() => {
    reload();
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);

  useLiveMessages((m) => {
    if (m.type === 'notice') reload();
  });

  const read = async (n: Notice) => {
    if (!n.read) {
      await alertsApi.markRead(n.id);
      reload();
    }
  };

  const content = (
    <div style={{ width: 380 }} data-testid="notice-list">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('notices.title')}</Typography.Text>
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          onClick={async () => {
            await alertsApi.markAllRead();
            reload();
          }}
        >
          {t('notices.markAllRead')}
        </Button>
      </Flex>
      {notices.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notices.empty')} />
      ) : (
        <Flex vertical gap={4} style={{ maxHeight: 420, overflowY: 'auto' }}>
          {notices.map((n) => (
            <div
              key={n.id}
              onClick={() => read(n)}
              style={{
                cursor: n.read ? 'default' : 'pointer',
                opacity: n.read ? 0.6 : 1,
                padding: '6px 0',
                borderBottom: '1px solid #f0f0f0',
              }}
            >
              <Flex gap={6} align="center">
                <Tag color={EVENT_COLOR[n.event]}>{t(`notices.event.${n.event}` as MessageKey)}</Tag>
                <Typography.Text strong={!n.read} ellipsis style={{ maxWidth: 270 }}>
                  {n.title}
                </Typography.Text>
              </Flex>
              <div>{n.body}</div>
              <Typography.Text type="secondary">{formatTime(n.createdAt)}</Typography.Text>
            </div>
          ))}
        </Flex>
      )}
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={unread} size="small" data-testid="notice-bell">
        <Button type="text" shape="circle" icon={<BellOutlined />} aria-label={t('notices.title')} />
      </Badge>
    </Popover>
  );
}
