import { Button, Drawer, Space, Spin } from 'antd';
import { useNavigate } from 'react-router';
import { NotificationList } from './NotificationList';
import type { NotificationView } from './notificationsApi';

/** The bell's drawer: antd's, loaded when the bell is first clicked (the header is drawn without antd, decision 040). */
export default function NotificationDrawer({
  open,
  items,
  unread,
  onClose,
  onReadAll,
}: {
  open: boolean;
  items: NotificationView[] | null;
  unread: number;
  onClose: () => void;
  onReadAll: () => void;
}) {
  const navigate = useNavigate();
  return (
    <Drawer
      title="通知"
      open={open}
      onClose={onClose}
      width={420}
      extra={
        <Space>
          <Button size="small" onClick={onReadAll} disabled={unread === 0}>
            全部已读
          </Button>
          <Button
            size="small"
            onClick={() => {
              onClose();
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
        <NotificationList items={items} onOpened={onClose} />
      )}
    </Drawer>
  );
}
