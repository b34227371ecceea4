import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Grid, Input, Select, Table, Tabs, Typography } from 'antd';
import type { CheckboxProps, TableProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import type { Light, TaskBox, TaskSummary } from '../../api/types';
import { formatDateTime, orEmpty } from '../../shared/format';
import { newCursorTrail, rememberCursor, withCursor } from '../../shared/cursorTrail';
import { BOXES, PAGE_SIZES, parseInboxQuery, toSearchParams, toTaskQuery, type InboxQuery } from './inboxQuery';
import { LIGHT_ORDER, LIGHTS } from '../../shared/deadline/light';
import { LightDot, LightIndicator } from '../../shared/deadline/LightIndicator';
import { ProvisionalMark } from '../../shared/deadline/ProvisionalMark';
import { TaskCardList } from './TaskCardList';
import { BatchReadButton } from '../taskConveniences/BatchReadButton';
import { useDefinitions, useTasks } from './useInboxData';
import './inbox.css';

const columns: TableProps<TaskSummary>['columns'] = [
  {
    title: '编号',
    dataIndex: 'itemNumber',
    key: 'itemNumber',
    width: 130,
    render: (value: string | null) => orEmpty(value),
  },
  {
    title: '事项',
    dataIndex: 'itemTitle',
    key: 'itemTitle',
    render: (_: string, task) => (
      <div className="task-title-cell">
        <Link className="task-title" to={`/tasks/${task.id}`} onClick={(e) => e.stopPropagation()}>
          {task.itemTitle}
        </Link>
        {task.definitionName && <span className="task-definition">{task.definitionName}</span>}
      </div>
    ),
  },
  { title: '环节', dataIndex: 'activityName', key: 'activityName', width: 130 },
  {
    title: '承办单位',
    dataIndex: 'unitName',
    key: 'unitName',
    width: 130,
    render: (value: string | null) => orEmpty(value),
  },
  {
    title: '期限',
    dataIndex: 'dueAt',
    key: 'dueAt',
    width: 160,
    render: (value: string | null, task: TaskSummary) => (
      <>
        {formatDateTime(value)} <ProvisionalMark provisional={task.provisional} />
      </>
    ),
  },
  {
    title: '状态灯',
    dataIndex: 'light',
    key: 'light',
    width: 90,
    render: (value: Light | null) => <LightIndicator light={value} />,
  },
  {
    title: '到达时间',
    dataIndex: 'createdAt',
    key: 'createdAt',
    width: 145,
    render: (value: string) => formatDateTime(value),
  },
];

/** 已办: when it was done and with which result, instead of the deadline and its light. */
const doneColumns: TableProps<TaskSummary>['columns'] = [
  ...columns.filter((c) => c.key !== 'dueAt' && c.key !== 'light' && c.key !== 'createdAt'),
  {
    title: '办理结果',
    dataIndex: 'outcome',
    key: 'outcome',
    width: 110,
    render: (value: string | null) => orEmpty(value),
  },
  {
    title: '办理时间',
    dataIndex: 'completedAt',
    key: 'completedAt',
    width: 145,
    render: (value: string | null) => formatDateTime(value),
  },
];

export default function InboxPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseInboxQuery(searchParams), [searchParams]);
  // 已办 pages on by cursor, fast at any depth (docs/decisions/042, addendum); 待办 and 阅知 by number.
  const [trail] = useState(newCursorTrail);
  const taskQuery = useMemo(
    () => (query.box === 'done' ? withCursor(trail, toTaskQuery(query)) : toTaskQuery(query)),
    [query, trail],
  );
  const [reloadToken, setReloadToken] = useState(0);
  const { data, loading, error } = useTasks(taskQuery, reloadToken);
  useEffect(() => {
    if (taskQuery.box === 'done' && data && !loading && data.page === taskQuery.page)
      rememberCursor(trail, taskQuery, data.nextCursor);
  }, [taskQuery, data, loading, trail]);
  const { definitions, loading: definitionsLoading } = useDefinitions();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const navigate = useNavigate();

  const [searchText, setSearchText] = useState(query.q);
  // The box follows the address (back, a link): adjusted while rendering, not in an effect.
  const [shownQ, setShownQ] = useState(query.q);
  if (query.q !== shownQ) {
    setShownQ(query.q);
    setSearchText(query.q);
  }

  const boxInfo = BOXES.find((b) => b.box === query.box) ?? BOXES[0];
  // 批量已阅: notices picked in the 阅知 box (kept by id; a reload drops the ones that are gone).
  const [picked, setPicked] = useState<TaskSummary[]>([]);
  const selectable = query.box === 'notice' && !isPhone;

  function update(patch: Partial<InboxQuery>, resetPage = true) {
    const next: InboxQuery = { ...query, ...(resetPage ? { page: 1 } : {}), ...patch };
    // flushSync: commit the new URL state right away instead of in a transition,
    // so a quick second change (another filter, a tab) builds on this one rather
    // than on a stale `query` and silently undoing it.
    setSearchParams(toSearchParams(next), { flushSync: true });
  }

  const definitionOptions = definitions.map((d) => ({ value: d.definitionId, label: d.name }));
  const lightOptions = LIGHT_ORDER.map((light) => ({
    value: light,
    label: (
      <span className="light">
        <LightDot color={LIGHTS[light].color} />
        <span className="light-label">{LIGHTS[light].label}</span>
      </span>
    ),
    title: LIGHTS[light].label,
  }));

  const items = data?.items ?? [];
  const total = data?.total ?? 0;
  // 已办 is counted only 1000 rows past the page's start: then the total is a lower bound (docs/decisions/042).
  const capped = data?.totalCapped === true;
  const emptyNode = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={boxInfo.empty} />;

  const pagination = {
    current: query.page,
    pageSize: query.pageSize,
    total,
    showSizeChanger: !isPhone,
    pageSizeOptions: PAGE_SIZES.map(String),
    showTotal: (n: number) => (capped ? `${n} 条以上` : `共 ${n} 条`),
    simple: isPhone,
    hideOnSinglePage: false,
    onChange: (page: number, pageSize: number) =>
      pageSize !== query.pageSize ? update({ pageSize }, true) : update({ page }, false),
  };

  return (
    <section className="inbox-page" aria-labelledby="inbox-heading">
      <div className="inbox-header">
        <Typography.Title level={4} id="inbox-heading" className="inbox-heading">
          我的待办
        </Typography.Title>
        <Button
          icon={<ReloadOutlined aria-hidden />}
          onClick={() => setReloadToken((n) => n + 1)}
          loading={loading && !!data}
          aria-label="刷新列表"
        >
          {isPhone ? null : '刷新'}
        </Button>
      </div>

      <div className="inbox-panel">
        <Tabs
          activeKey={query.box}
          // Lights are for open tasks only: the 已办 box has none to filter by.
          onChange={(key) => update({ box: key as TaskBox, ...(key === 'done' ? { light: undefined } : {}) })}
          items={BOXES.map((b) => ({ key: b.box, label: b.label }))}
        />

        <div className="inbox-toolbar" role="search" aria-label="筛选待办">
          <Input.Search
            className="inbox-search"
            placeholder="搜索事项标题或编号"
            aria-label="搜索事项"
            allowClear
            value={searchText}
            onChange={(event) => {
              setSearchText(event.target.value);
              if (event.target.value === '' && query.q) update({ q: '' });
            }}
            onSearch={(value) => update({ q: value.trim() })}
          />
          <Select
            className="inbox-filter"
            aria-label="流程类型"
            placeholder="流程类型"
            allowClear
            loading={definitionsLoading}
            options={definitionOptions}
            value={query.definitionId}
            onChange={(value: string | undefined) => update({ definitionId: value || undefined })}
            notFoundContent="暂无流程"
            showSearch
            optionFilterProp="label"
          />
          <Select
            className="inbox-filter inbox-filter-light"
            aria-label="状态灯"
            placeholder="状态灯"
            allowClear
            options={lightOptions}
            value={query.box === 'done' ? undefined : query.light}
            disabled={query.box === 'done'}
            onChange={(value: Light | undefined) => update({ light: value })}
          />
        </div>

        {error ? (
          <Alert
            className="inbox-error"
            type="error"
            showIcon
            message="加载失败"
            description={errorMessage(error)}
            action={
              <Button size="small" onClick={() => setReloadToken((n) => n + 1)}>
                重试
              </Button>
            }
          />
        ) : null}

        {selectable && (
          <BatchReadButton
            selected={picked}
            onDone={() => {
              setPicked([]);
              setReloadToken((n) => n + 1);
            }}
          />
        )}

        {isPhone ? (
          <TaskCardList
            tasks={items}
            loading={loading}
            empty={emptyNode}
            pagination={{ ...pagination, showTotal: undefined, size: 'small' }}
          />
        ) : (
          <Table<TaskSummary>
            data-testid="inbox-table"
            aria-label={`${boxInfo.label}列表`}
            rowKey="id"
            columns={query.box === 'done' ? doneColumns : columns}
            rowClassName="inbox-row"
            rowSelection={
              selectable
                ? {
                    selectedRowKeys: picked.map((t) => t.id),
                    onChange: (_keys, rows) => setPicked(rows),
                    // antd passes these on to the checkbox's input; its types list no aria attributes.
                    getCheckboxProps: (task) =>
                      ({ 'aria-label': `选择「${task.itemTitle}」` }) as unknown as Partial<CheckboxProps>,
                  }
                : undefined
            }
            onRow={(task) => ({
              onClick: (event) => {
                // Let a click on the title link, a selection box (or a selection of text) do what it does.
                if (
                  (event.target as HTMLElement).closest('a, .ant-table-selection-column') ||
                  window.getSelection()?.toString()
                )
                  return;
                navigate(`/tasks/${task.id}`);
              },
            })}
            dataSource={items}
            loading={loading}
            pagination={pagination}
            locale={{ emptyText: emptyNode }}
            scroll={{ x: 980 }}
            size="middle"
          />
        )}
      </div>
    </section>
  );
}
