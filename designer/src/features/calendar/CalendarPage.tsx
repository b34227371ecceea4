import { CloudDownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { mapServerErrors } from '../../shared/formErrors';
import { useQuery } from '../../shared/useQuery';
import { calendarApi, ORIGIN_LABELS, type CalendarYearView, type DayKind } from './calendarApi';
import {
  defaultChange,
  holidayRuns,
  monthGrid,
  parseYearFile,
  WEEKDAYS,
  workingDaysInMonth,
  type DayCell,
} from './calendarGrid';
import './calendar.css';

const KIND_LABEL: Record<DayCell['kind'], string> = {
  holiday: '放假',
  workday: '调休上班',
  weekend: '周末',
  normal: '工作日',
};

function Month({
  year,
  month,
  view,
  onPick,
}: {
  year: number;
  month: number;
  view: CalendarYearView;
  onPick: (cell: DayCell) => void;
}) {
  const weeks = useMemo(() => monthGrid(year, month, view.days), [year, month, view.days]);
  return (
    <section className="cal-month" aria-label={`${month}月`}>
      <header className="cal-month-header">
        <span className="cal-month-name">{month}月</span>
        <span className="cal-month-count">{workingDaysInMonth(year, month, view.days)} 个工作日</span>
      </header>
      <table className="cal-grid">
        <thead>
          <tr>
            {WEEKDAYS.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, i) => (
            <tr key={i}>
              {week.map((cell, j) =>
                cell ? (
                  <td key={cell.date}>
                    <button
                      type="button"
                      className={`cal-day cal-day-${cell.kind}`}
                      data-date={cell.date}
                      title={`${cell.date} ${KIND_LABEL[cell.kind]}${cell.name ? `（${cell.name}）` : ''}`}
                      aria-label={`${cell.date} ${KIND_LABEL[cell.kind]}${cell.name ? ` ${cell.name}` : ''}`}
                      onClick={() => onPick(cell)}
                    >
                      <span className="cal-day-number">{cell.day}</span>
                      {cell.kind === 'holiday' && <span className="cal-day-mark">休</span>}
                      {cell.kind === 'workday' && <span className="cal-day-mark">班</span>}
                    </button>
                  </td>
                ) : (
                  <td key={`empty-${j}`} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface DayForm {
  kind: DayKind | 'normal';
  name: string;
}

/** 工作日历 (administrators): the organization's holidays and make-up working days, a year at a time. */
export default function CalendarPage() {
  const { message } = AntdApp.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(searchParams.get('year')) || thisYear;
  const calendar = useQuery(['calendar', year], (signal) =>
    Promise.all([calendarApi.status(signal), calendarApi.year(year, signal)]),
  );
  const [status, view] = calendar.data ?? [null, null];
  const { loading, error, reload: load } = calendar;
  const [busy, setBusy] = useState(false);
  const [picked, setPicked] = useState<DayCell | null>(null);
  const [dayError, setDayError] = useState<string | null>(null);
  const [form] = Form.useForm<DayForm>();

  const yearOptions = useMemo(() => {
    const years = new Set<number>([thisYear - 1, thisYear, thisYear + 1, year]);
    for (const y of status?.years ?? []) years.add(y.year);
    for (const y of status?.shippedYears ?? []) years.add(y);
    return [...years]
      .sort((a, b) => a - b)
      .map((y) => {
        const loaded = status?.years.some((i) => i.year === y);
        return { value: y, label: loaded ? `${y}年` : `${y}年（未导入）` };
      });
  }, [status, thisYear, year]);

  const shipped = status?.shippedYears.includes(year) ?? false;
  const info = status?.years.find((y) => y.year === year);
  const runs = useMemo(() => (view ? holidayRuns(view.days) : []), [view]);
  const makeUps = useMemo(() => (view ? view.days.filter((d) => d.kind === 'workday') : []), [view]);

  async function loadShipped() {
    setBusy(true);
    try {
      await calendarApi.loadShipped(year);
      message.success(`已载入系统提供的${year}年节假日安排`);
      load();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function importFile(file: File) {
    setBusy(true);
    try {
      const parsed = parseYearFile(await file.text(), year);
      await calendarApi.importYear(year, parsed);
      message.success(`已导入${year}年节假日安排`);
      load();
    } catch (e) {
      const details = isApiError(e) ? Object.values(e.fieldErrors).flat() : [];
      message.error(details.length > 0 ? `导入失败：${details.join('；')}` : `导入失败：${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  function pick(cell: DayCell) {
    setDayError(null);
    setPicked(cell);
  }

  async function saveDay(values: DayForm) {
    if (!picked) return;
    setBusy(true);
    setDayError(null);
    try {
      await calendarApi.setDay(picked.date, values.kind, values.kind === 'holiday' ? values.name : null);
      message.success(`已修改 ${picked.date}`);
      setPicked(null);
      load();
    } catch (e) {
      const rest = mapServerErrors(form, e);
      setDayError(rest.length > 0 ? rest.join('；') : null);
    } finally {
      setBusy(false);
    }
  }

  const kind = Form.useWatch('kind', form);
  // Each opening starts from the clicked day (the dialog's form may still be mounted from the last one).
  useEffect(() => {
    if (picked)
      form.setFieldsValue({ kind: defaultChange(picked), name: picked.kind === 'holiday' ? (picked.name ?? '') : '' });
  }, [picked, form]);

  return (
    <section className="cal-page" aria-labelledby="cal-heading">
      <div className="cal-header">
        <Typography.Title level={4} id="cal-heading" className="cal-heading">
          工作日历
        </Typography.Title>
        <Space wrap>
          <Select
            aria-label="年份"
            className="cal-year"
            value={year}
            options={yearOptions}
            onChange={(y: number) => setSearchParams(y === thisYear ? {} : { year: String(y) })}
          />
          {shipped && (
            <Popconfirm
              title={`载入系统提供的${year}年安排？`}
              description="将覆盖本单位对该年所做的修改。"
              okText="载入"
              cancelText="取消"
              onConfirm={loadShipped}
            >
              <Button icon={<CloudDownloadOutlined />} loading={busy}>
                载入系统提供的安排
              </Button>
            </Popconfirm>
          )}
          <Upload
            accept=".json,application/json"
            showUploadList={false}
            beforeUpload={(file) => {
              void importFile(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy}>
              导入年度文件
            </Button>
          </Upload>
        </Space>
      </div>

      {(status?.warnings ?? []).map((w) => (
        <Alert key={w} className="cal-alert" type="warning" showIcon message={w} />
      ))}
      {error ? (
        <Alert className="cal-alert" type="error" showIcon message="加载失败" description={errorMessage(error)} />
      ) : null}

      <Spin spinning={loading}>
        {view && (
          <div className="cal-panel">
            <div className="cal-summary">
              <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
                <Descriptions.Item label="来源" span={2}>
                  {view.loaded ? (
                    <Space size={4} wrap>
                      <Tag bordered={false} color={view.origin === 'shipped' ? 'blue' : 'gold'}>
                        {ORIGIN_LABELS[view.origin ?? ''] ?? view.origin}
                      </Tag>
                      {view.source?.title}
                      {view.source?.number ? `（${view.source.number}）` : ''}
                    </Space>
                  ) : (
                    <Typography.Text type="warning">
                      未导入：暂按法定节假日计算（不含调休），期限标为“暂定”
                    </Typography.Text>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label="全年工作日">{view.workingDays} 天</Descriptions.Item>
                <Descriptions.Item label="放假 / 调休上班">
                  {view.days.filter((d) => d.kind === 'holiday').length} 天 / {makeUps.length} 天
                </Descriptions.Item>
                <Descriptions.Item label="最近修改">
                  {info?.editedAt
                    ? `${formatDateTime(info.editedAt)} ${info.editedByName ?? ''}`
                    : info
                      ? `${formatDateTime(info.loadedAt)} 载入`
                      : '—'}
                </Descriptions.Item>
              </Descriptions>
              {view.source?.note ? (
                <Typography.Paragraph type="secondary" className="cal-note">
                  {view.source.note}
                </Typography.Paragraph>
              ) : null}
            </div>

            <div className="cal-body">
              <div className="cal-months" data-testid="calendar-months">
                {Array.from({ length: 12 }, (_, i) => (
                  <Month key={i} year={year} month={i + 1} view={view} onPick={pick} />
                ))}
              </div>
              <aside className="cal-side" aria-label="节假日与调休">
                <Typography.Title level={5}>节假日</Typography.Title>
                {runs.length === 0 ? (
                  <Typography.Text type="secondary">无</Typography.Text>
                ) : (
                  <ul className="cal-list">
                    {runs.map((r) => (
                      <li key={r.from}>
                        <span className="cal-list-name">{r.name}</span>
                        <span>
                          {r.from.slice(5)}
                          {r.to !== r.from ? ` 至 ${r.to.slice(5)}` : ''}（{r.count} 天）
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                <Typography.Title level={5}>调休上班</Typography.Title>
                {makeUps.length === 0 ? (
                  <Typography.Text type="secondary">无</Typography.Text>
                ) : (
                  <ul className="cal-list">
                    {makeUps.map((d) => (
                      <li key={d.date}>
                        <span className="cal-list-name">{d.name ?? '调休上班'}</span>
                        <span>
                          {d.date.slice(5)} {d.weekday}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                <div className="cal-legend" aria-hidden="true">
                  <span className="cal-day cal-day-holiday">休</span> 放假
                  <span className="cal-day cal-day-workday">班</span> 调休上班
                  <span className="cal-day cal-day-weekend">六</span> 周末
                </div>
                <Typography.Paragraph type="secondary" className="cal-hint">
                  点击日历中的某一天可改为放假、调休上班或恢复正常。办理时限中的“工作日”按此日历计算。
                </Typography.Paragraph>
              </aside>
            </div>
          </div>
        )}
      </Spin>

      <Modal
        open={picked !== null}
        title={
          picked ? `${picked.date}（周${WEEKDAYS[(new Date(`${picked.date}T00:00:00Z`).getUTCDay() + 6) % 7]}）` : ''
        }
        okText="保存"
        cancelText="取消"
        confirmLoading={busy}
        onCancel={() => setPicked(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {picked && (
          <>
            <p>
              现在：<Tag bordered={false}>{KIND_LABEL[picked.kind]}</Tag>
              {picked.name}
            </p>
            {dayError && <Alert className="cal-alert" type="error" showIcon message={dayError} />}
            <Form<DayForm>
              key={picked.date}
              form={form}
              layout="vertical"
              onFinish={saveDay}
              preserve={false}
              initialValues={{
                kind: defaultChange(picked),
                name: picked.kind === 'holiday' ? (picked.name ?? '') : '',
              }}
            >
              <Form.Item name="kind" label="改为">
                <Radio.Group
                  options={[
                    { value: 'holiday', label: '放假' },
                    { value: 'workday', label: '调休上班', disabled: picked.kind === 'normal' },
                    {
                      value: 'normal',
                      label: '恢复正常',
                      disabled: picked.kind === 'normal' || picked.kind === 'weekend',
                    },
                  ]}
                />
              </Form.Item>
              {kind === 'holiday' && (
                <Form.Item
                  name="name"
                  label="节假日名称"
                  rules={[{ required: true, whitespace: true, message: '请填写节假日名称（如 春节）' }]}
                >
                  <Input placeholder="如：春节" maxLength={100} />
                </Form.Item>
              )}
            </Form>
          </>
        )}
      </Modal>
    </section>
  );
}
