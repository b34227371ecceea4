import { Badge, Empty, List, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { notificationsApi, notifyChanged, when, type NotificationView } from './notificationsApi';

const KIND_COLORS: Record<string, string> = {
  task: 'blue',
  returned: 'orange',
  chased: 'red',
  extension: 'green',
  deadline: 'gold',
  report: 'purple',
};

/** Notifications as a list: each opens its task (or item) and is marked read on the way. */
export function NotificationList({
  items,
  onOpened,
}: {
  items: readonly NotificationView[];
  /** Called after a notification was opened (e.g. to close the drawer). */
  onOpened?: () => void;
}) {
  const navigate = useNavigate();
  const open = (n: NotificationView) => {
    if (!n.readAt) {
      void notificationsApi
        .read(n.id)
        .then(notifyChanged)
        .catch(() => undefined);
    }
    onOpened?.();
    if (n.link) navigate(n.link);
  };
  if (items.length === 0) return <Empty description="暂无通知" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <List
      className="notification-list"
      dataSource={[...items]}
      rowKey="id"
      renderItem={(n) => (
        <List.Item
          className={n.readAt ? 'notification-read' : 'notification-unread'}
          onClick={() => open(n)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') open(n);
          }}
          role="link"
          tabIndex={0}
          aria-label={`${n.readAt ? '' : '未读 '}${n.title}`}
          style={{ cursor: 'pointer', padding: '10px 12px' }}
        >
          <List.Item.Meta
            avatar={<Badge dot={!n.readAt} offset={[-2, 2]} />}
            title={
              <span>
                <Tag color={KIND_COLORS[n.kind] ?? 'default'} bordered={false}>
                  {n.kindLabel}
                </Tag>
                <Typography.Text strong={!n.readAt} delete={n.settled}>
                  {n.title}
                </Typography.Text>
              </span>
            }
            description={
              <span>
                {n.body}
                {n.settled ? '（已由他人签收或已办结）' : ''}
                <br />
                <Typography.Text type="secondary">{when(n.createdAt)}</Typography.Text>
              </span>
            }
          />
        </List.Item>
      )}
    />
  );
}
