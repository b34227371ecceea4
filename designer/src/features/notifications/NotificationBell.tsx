import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Space, Spin } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { NotificationList } from './NotificationList';
import {
  NOTIFICATIONS_CHANGED,
  UNREAD_POLL_MS,
  notificationsApi,
  notifyChanged,
  type NotificationView,
} from './notificationsApi';

/**
 * The bell in the header: the unread count (asked every minute, when the window regains focus, and when the app says the
 * count may have changed), and a drawer with the newest notifications, unread first; each opens its task.
 */
export function NotificationBell() {
  const navigate = useNavigate();
  const [count, setCount] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationView[] | null>(null);

  const refresh = useCallback((signal?: AbortSignal) => {
    notificationsApi
      .unreadCount(signal)
      .then((answer) => setCount(answer.count))
      // A failed count leaves the bell as it was; the next poll tries again.
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    refresh(controller.signal);
    const timer = window.setInterval(() => refresh(), UNREAD_POLL_MS);
    const again = () => refresh();
    window.addEventListener('focus', again);
    window.addEventListener(NOTIFICATIONS_CHANGED, again);
    return () => {
      controller.abort();
      window.clearInterval(timer);
      window.removeEventListener('focus', again);
      window.removeEventListener(NOTIFICATIONS_CHANGED, again);
    };
  }, [refresh]);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    notificationsApi
      .list({ pageSize: 20, order: 'unreadFirst' }, controller.signal)
      .then((page) => setItems(page.items))
      .catch(() => setItems([]));
    return () => controller.abort();
  }, [open, count]);

  const readAll = () => {
    void notificationsApi
      .readAll()
      .then(() => {
        setItems((list) => list?.map((n) => ({ ...n, readAt: n.readAt ?? new Date().toISOString() })) ?? null);
        notifyChanged();
      })
      .catch(() => undefined);
  };

  return (
    <>
      <Badge count={count} size="small" offset={[-4, 4]} data-testid="notification-badge">
        <Button
          type="text"
          icon={<BellOutlined aria-hidden />}
          aria-label={count > 0 ? `通知（${count} 条未读）` : '通知'}
          onClick={() => setOpen(true)}
        />
      </Badge>
      <Drawer
        title="通知"
        open={open}
        onClose={() => setOpen(false)}
        width={420}
        extra={
          <Space>
            <Button size="small" onClick={readAll} disabled={count === 0}>
              全部已读
            </Button>
            <Button
              size="small"
              onClick={() => {
                setOpen(false);
                navigate('/notifications');
              }}
            >
              查看全部
            </Button>
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {items === null ? (
          <div className="page-center">
            <Spin />
          </div>
        ) : (
          <NotificationList items={items} onOpened={() => setOpen(false)} />
        )}
      </Drawer>
    </>
  );
}
