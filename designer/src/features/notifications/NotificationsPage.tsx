import { Button, Card, Pagination, Segmented, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { NotificationList } from './NotificationList';
import { NOTIFICATIONS_CHANGED, notificationsApi, notifyChanged } from './notificationsApi';

const PAGE_SIZE = 20;

/** 通知中心: all my notifications, newest or unread first, paged; each opens its task. */
export default function NotificationsPage() {
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [order, setOrder] = useState<'newest' | 'unreadFirst'>('unreadFirst');
  const list = useQuery(['notifications', page, order], (signal) =>
    notificationsApi.list({ page, pageSize: PAGE_SIZE, order }, signal),
  );
  const { reload } = list;
  useEffect(() => {
    window.addEventListener(NOTIFICATIONS_CHANGED, reload);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, reload);
  }, [reload]);

  return (
    <section aria-labelledby="notifications-heading">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} id="notifications-heading" style={{ margin: 0 }}>
          通知
        </Typography.Title>
        <Space wrap>
          <Segmented
            value={order}
            onChange={(value) => {
              setOrder(value as 'newest' | 'unreadFirst');
              setPage(1);
            }}
            options={[
              { label: '未读在前', value: 'unreadFirst' },
              { label: '最新在前', value: 'newest' },
            ]}
          />
          <Button onClick={() => void notificationsApi.readAll().then(notifyChanged)}>全部已读</Button>
          <Button onClick={() => navigate('/notifications/settings')}>通知设置</Button>
        </Space>
      </Space>
      <Card size="small" className="page-section" style={{ marginTop: 12 }} loading={list.loading && !list.data}>
        {list.error ? (
          <Typography.Text type="danger">{errorMessage(list.error)}</Typography.Text>
        ) : (
          <NotificationList items={list.data?.items ?? []} />
        )}
      </Card>
      {(list.data?.total ?? 0) > PAGE_SIZE && (
        <Pagination
          style={{ marginTop: 12 }}
          current={page}
          pageSize={PAGE_SIZE}
          total={list.data?.total ?? 0}
          onChange={setPage}
          showSizeChanger={false}
        />
      )}
    </section>
  );
}
