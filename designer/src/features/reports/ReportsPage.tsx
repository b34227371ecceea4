import { can } from '../../app/navigation';
import { DeleteOutlined, FileWordOutlined, FilePdfOutlined } from '@ant-design/icons';
import {
  App as AntdApp,
  Button,
  Card,
  DatePicker,
  Empty,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import { documentsApi } from '../documents/documentsApi';
import {
  describeSchedule,
  reportLinks,
  reportsApi,
  WEEKDAYS,
  type Report,
  type ReportPeriod,
  type ReportSchedule,
} from './reportsApi';

type Preset = 'week' | 'month' | 'quarter' | 'custom';

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString('zh-CN', { hour12: false }) : '—');

/**
 * 督查专报 (督查员, 管理员; docs/decisions/048): a report from the ledger for a period — counts by status and light,
 * each unit's overdue items, what closed, chases, extensions and scores — filled into a Word template. 生成 makes one
 * now; an administrator sets weekly or monthly ones. Every report is listed to download as Word or PDF.
 */
export default function ReportsPage() {
  const { message } = AntdApp.useApp();
  const user = useCurrentUser();
  const isAdmin = can(user, 'configureSupervision');
  const [token, setToken] = useState(0);
  const reload = () => setToken((n) => n + 1);
  const templates = useQuery(['document-templates'], (signal) => documentsApi.templates(signal));
  const reports = useQuery(['reports', token], (signal) => reportsApi.list(signal));
  const schedules = useQuery(['report-schedules', token], (signal) => reportsApi.schedules(signal));
  const [templateKey, setTemplateKey] = useState<string>();
  const [preset, setPreset] = useState<Preset>('week');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [busy, setBusy] = useState(false);
  const [frequency, setFrequency] = useState<'weekly' | 'monthly' | 'quarterly'>('weekly');
  const [day, setDay] = useState(1);
  const [scheduleTemplate, setScheduleTemplate] = useState<string>();

  useEffect(() => {
    document.title = '督查专报 - 督办';
  }, []);

  const options = (templates.data?.templates ?? []).map((t) => ({ value: t.key, label: t.name }));
  const pdf = templates.data?.pdfAvailable ?? false;
  const chosen = templateKey ?? options.find((o) => o.value === 'period-report')?.value;

  const generate = async () => {
    if (!chosen) {
      message.warning('请选择文书模板');
      return;
    }
    let period: ReportPeriod;
    if (preset === 'custom') {
      if (!range?.[0] || !range[1]) {
        message.warning('请选择开始和结束日期');
        return;
      }
      period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
    } else {
      period = { preset };
    }
    setBusy(true);
    try {
      const report = await reportsApi.generate(chosen, period);
      message.success(`已生成《${report.templateName}》${report.number ? ` ${report.number}` : ''}`);
      reload();
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const addSchedule = async () => {
    const key = scheduleTemplate ?? chosen;
    if (!key) {
      message.warning('请选择文书模板');
      return;
    }
    try {
      await reportsApi.addSchedule(key, frequency, day);
      message.success('已添加定期专报');
      reload();
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  const columns: TableProps<Report>['columns'] = [
    {
      title: '专报',
      key: 'name',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{r.templateName}</Typography.Text>
          {r.number && <Typography.Text type="secondary">{r.number}</Typography.Text>}
        </Space>
      ),
    },
    { title: '期间', key: 'period', render: (_, r) => `${r.periodFrom} 至 ${r.periodTo}` },
    {
      title: '生成',
      key: 'by',
      render: (_, r) => (
        <Space size={4}>
          {r.scheduled ? <Tag color="blue">定期</Tag> : <Tag>手动</Tag>}
          <span>{r.scheduled ? '' : r.createdByName}</span>
          <Typography.Text type="secondary">{when(r.createdAt)}</Typography.Text>
        </Space>
      ),
    },
    {
      title: '下载',
      key: 'download',
      render: (_, r) => (
        <Space>
          <a href={reportLinks.file(r.id)} download>
            <FileWordOutlined /> Word
          </a>
          {pdf && (
            <a href={reportLinks.file(r.id, true)} download>
              <FilePdfOutlined /> PDF
            </a>
          )}
        </Space>
      ),
    },
  ];

  const scheduleColumns: TableProps<ReportSchedule>['columns'] = [
    {
      title: '模板',
      key: 'template',
      render: (_, s) => options.find((o) => o.value === s.templateKey)?.label ?? s.templateKey,
    },
    { title: '频率', key: 'when', render: (_, s) => describeSchedule(s) },
    { title: '下次生成', key: 'next', render: (_, s) => when(s.nextRunAt) },
    {
      title: '上次',
      key: 'last',
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <span>{when(s.lastRunAt)}</span>
          {s.lastError && <Typography.Text type="danger">{s.lastError}</Typography.Text>}
        </Space>
      ),
    },
    ...(isAdmin
      ? [
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, s: ReportSchedule) => (
              <Popconfirm
                title="删除这个定期专报？已生成的专报保留。"
                onConfirm={async () => {
                  try {
                    await reportsApi.deleteSchedule(s.id);
                    reload();
                  } catch (error) {
                    message.error(errorMessage(error));
                  }
                }}
              >
                <Button size="small" danger icon={<DeleteOutlined />}>
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title="生成督查专报" size="small">
        <Space wrap>
          <Select
            aria-label="专报模板"
            data-testid="report-template"
            style={{ width: 240 }}
            placeholder="选择文书模板"
            options={options}
            value={chosen}
            onChange={setTemplateKey}
            notFoundContent="请先在「文书模板」中使用内置的「督查专报（周报/月报）」"
          />
          <Radio.Group value={preset} onChange={(e) => setPreset(e.target.value as Preset)} optionType="button">
            <Radio.Button value="week">本周</Radio.Button>
            <Radio.Button value="month">本月</Radio.Button>
            <Radio.Button value="quarter">本季度</Radio.Button>
            <Radio.Button value="custom">自定义</Radio.Button>
          </Radio.Group>
          {preset === 'custom' && (
            <DatePicker.RangePicker aria-label="期间" value={range} onChange={(v) => setRange(v)} />
          )}
          <Button type="primary" loading={busy} onClick={() => void generate()}>
            生成
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          按所选期间汇总台账：各状态与亮灯数、各单位超期情况、本期办结、催办、延期和考核得分，与驾驶舱同一口径；只统计您能看到的事项。
        </Typography.Paragraph>
      </Card>

      <Card title="已生成的专报" size="small">
        <Table<Report>
          rowKey="id"
          size="small"
          loading={reports.loading}
          dataSource={reports.data ?? []}
          columns={columns}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="还没有专报" /> }}
        />
      </Card>

      <Card title="定期专报" size="small">
        {isAdmin && (
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              aria-label="定期专报模板"
              style={{ width: 220 }}
              placeholder="选择文书模板"
              options={options}
              value={scheduleTemplate ?? chosen}
              onChange={setScheduleTemplate}
            />
            <Radio.Group
              value={frequency}
              onChange={(e) => {
                setFrequency(e.target.value as 'weekly' | 'monthly' | 'quarterly');
                setDay(1);
              }}
            >
              <Radio value="weekly">每周</Radio>
              <Radio value="monthly">每月</Radio>
              <Radio value="quarterly">每季度</Radio>
            </Radio.Group>
            <Select
              aria-label="生成日"
              style={{ width: 120 }}
              value={day}
              onChange={setDay}
              options={
                frequency === 'weekly'
                  ? WEEKDAYS.map((label, i) => ({ value: i + 1, label }))
                  : Array.from({ length: 28 }, (_, i) => ({ value: i + 1, label: `${i + 1} 日` }))
              }
            />
            <Button onClick={() => void addSchedule()}>添加</Button>
          </Space>
        )}
        <Table<ReportSchedule>
          rowKey="id"
          size="small"
          loading={schedules.loading}
          dataSource={schedules.data ?? []}
          columns={scheduleColumns}
          pagination={false}
          locale={{ emptyText: <Empty description="没有定期专报：每周一生成上周的，每月生成上月的" /> }}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          每周专报在所选的星期几生成前七天的专报，每月专报在所选日期生成上一个月的专报，每季度专报在季度首月（1、4、7、10
          月）的所选日期生成上一季度的专报；生成后通知督查员和管理员。
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
