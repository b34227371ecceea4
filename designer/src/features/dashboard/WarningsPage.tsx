import { Alert, Card, DatePicker, List, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { dashboardApi, type EarlyWarningItem, type EarlyWarningUnit } from './dashboardApi';
import './dashboard.css';

function Items({ items }: { items: readonly EarlyWarningItem[] }) {
  return (
    <List
      size="small"
      dataSource={[...items]}
      renderItem={(item) => (
        <List.Item>
          <Space wrap>
            <Link to={`/items/${item.id}`}>{item.number ? `${item.number} ${item.title}` : item.title}</Link>
            <Typography.Text type="secondary">{formatDateTime(item.at)}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

const SIGNS = [
  { key: 'extensions', label: '申请延期', color: 'orange' },
  { key: 'returns', label: '被退回', color: 'red' },
  { key: 'lastDay', label: '最后一天报送', color: 'gold' },
] as const;

const columns: TableProps<EarlyWarningUnit>['columns'] = [
  { title: '单位', dataIndex: 'unitName' },
  ...SIGNS.map((sign) => ({
    title: sign.label,
    key: sign.key,
    align: 'center' as const,
    render: (_: unknown, unit: EarlyWarningUnit) =>
      unit[sign.key].length > 0 ? (
        <Tag color={sign.color}>{unit[sign.key].length} 次</Tag>
      ) : (
        <Typography.Text type="secondary">0</Typography.Text>
      ),
  })),
];

/**
 * 预警 (decision 041): the office's internal view of units that often ask for extensions, are sent back or report on the
 * last day, over a chosen period — each figure opens to the items behind it. Not a ranking, and not shown to units.
 */
export default function WarningsPage() {
  const [params, setParams] = useSearchParams();
  const period = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
  const loaded = useQuery(['warnings', period], (signal) => dashboardApi.warnings(period, signal));
  const view = loaded.data;
  return (
    <div className="dash-page">
      <div className="dash-header">
        <Typography.Title level={4} className="dash-heading">
          预警（督查室内部）
        </Typography.Title>
        <DatePicker.RangePicker
          aria-label="时间段"
          value={view ? [dayjs(view.from), dayjs(view.to)] : null}
          onChange={(range) => {
            const next = new URLSearchParams();
            if (range?.[0]) next.set('from', range[0].format('YYYY-MM-DD'));
            if (range?.[1]) next.set('to', range[1].format('YYYY-MM-DD'));
            setParams(next);
          }}
        />
      </div>
      <Typography.Paragraph type="secondary">
        一段时间内常申请延期、被退回或在期限最后一天才报送的单位，供督查室提前提醒、跟进；不作排名，不对外公布。默认统计最近
        90 天。
      </Typography.Paragraph>
      {loaded.error !== null && <Alert type="error" showIcon message={errorMessage(loaded.error)} />}
      <Card size="small">
        <Table
          rowKey="unitId"
          size="small"
          loading={loaded.loading}
          columns={columns}
          dataSource={view ? [...view.units] : []}
          pagination={false}
          locale={{ emptyText: '这段时间没有需要预警的单位' }}
          expandable={{
            expandedRowRender: (unit) => (
              <Space direction="vertical" className="warning-items">
                {SIGNS.filter((s) => unit[s.key].length > 0).map((sign) => (
                  <div key={sign.key}>
                    <Typography.Text strong>{sign.label}</Typography.Text>
                    <Items items={unit[sign.key]} />
                  </div>
                ))}
              </Space>
            ),
          }}
        />
      </Card>
    </div>
  );
}
