import { BellOutlined } from '@ant-design/icons';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { WithAntd } from '../../app/WithAntd';
import {
  NOTIFICATIONS_CHANGED,
  UNREAD_POLL_MS,
  notificationsApi,
  notifyChanged,
  type NotificationView,
} from './notificationsApi';

// The drawer is antd's, loaded with the first click: the header is drawn without antd (docs/decisions/040, addendum).
const NotificationDrawer = lazy(() => import('./NotificationDrawer'));

/**
 * The bell in the header: the unread count (asked every minute, when the window regains focus, and when the app says the
 * count may have changed), and a drawer with the newest notifications, unread first; each opens its task.
 */
export function NotificationBell() {
  const [count, setCount] = useState(0);
  const [open, setOpen] = useState(false);
  // Mounted from the first click on, so that closing it plays antd's closing motion.
  const [opened, setOpened] = useState(false);
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
      <span className="bell" data-testid="notification-badge">
        <button
          type="button"
          className="pl-btn pl-btn-text pl-btn-icon"
          aria-label={count > 0 ? `通知（${count} 条未读）` : '通知'}
          onClick={() => {
            setOpened(true);
            setOpen(true);
          }}
        >
          <BellOutlined aria-hidden />
        </button>
        {count > 0 && (
          <sup className="bell-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </sup>
        )}
      </span>
      {opened && (
        <WithAntd fallback={null}>
          <Suspense fallback={null}>
            <NotificationDrawer
              open={open}
              items={items}
              unread={count}
              onClose={() => setOpen(false)}
              onReadAll={readAll}
            />
          </Suspense>
        </WithAntd>
      )}
    </>
  );
}
