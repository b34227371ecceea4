import { CloseCircleFilled, ExclamationCircleFilled, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import type { Light, TaskBox, TaskSummary } from '../../api/types';
import { WithAntd } from '../../app/WithAntd';
import { formatDateTime, orEmpty } from '../../shared/format';
import { newCursorTrail, rememberCursor, withCursor } from '../../shared/cursorTrail';
import { BOXES, PAGE_SIZES, parseInboxQuery, toSearchParams, toTaskQuery, type InboxQuery } from './inboxQuery';
import { LIGHT_ORDER, LIGHTS } from '../../shared/deadline/light';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { ProvisionalMark } from '../../shared/deadline/ProvisionalMark';
import { Empty } from '../../shared/plain/Empty';
import { Pagination, type PaginationProps } from '../../shared/plain/Pagination';
import { Spinner } from '../../shared/plain/Spinner';
import { Tabs } from '../../shared/plain/Tabs';
import { useIsPhone } from '../../shared/plain/useMedia';
import { TaskCardList } from './TaskCardList';
import { useDefinitions, useTasks } from './useInboxData';
import './inbox.css';

// The inbox is the first screen most people see: drawn without antd (docs/decisions/040, addendum). 批量已阅 (antd's
// button, alert and message) comes with the 阅知 box.
const BatchReadButton = lazy(() =>
  import('../taskConveniences/BatchReadButton').then((m) => ({ default: m.BatchReadButton })),
);

interface Column {
  key: string;
  title: string;
  width?: number;
  render: (task: TaskSummary) => ReactNode;
}

const columns: readonly Column[] = [
  { key: 'itemNumber', title: '编号', width: 130, render: (task) => orEmpty(task.itemNumber) },
  {
    key: 'itemTitle',
    title: '事项',
    render: (task) => (
      <div className="task-title-cell">
        <Link className="task-title" to={`/tasks/${task.id}`} onClick={(e) => e.stopPropagation()}>
          {task.itemTitle}
        </Link>
        {task.definitionName && <span className="task-definition">{task.definitionName}</span>}
      </div>
    ),
  },
  { key: 'activityName', title: '环节', width: 130, render: (task) => task.activityName },
  { key: 'unitName', title: '承办单位', width: 130, render: (task) => orEmpty(task.unitName) },
  {
    key: 'dueAt',
    title: '期限',
    width: 160,
    render: (task) => (
      <>
        {formatDateTime(task.dueAt)} <ProvisionalMark provisional={task.provisional} />
      </>
    ),
  },
  { key: 'light', title: '状态灯', width: 90, render: (task) => <LightIndicator light={task.light} /> },
  { key: 'createdAt', title: '到达时间', width: 145, render: (task) => formatDateTime(task.createdAt) },
];

/** 已办: when it was done and with which result, instead of the deadline and its light. */
const doneColumns: readonly Column[] = [
  ...columns.filter((c) => c.key !== 'dueAt' && c.key !== 'light' && c.key !== 'createdAt'),
  { key: 'outcome', title: '办理结果', width: 110, render: (task) => orEmpty(task.outcome) },
  { key: 'completedAt', title: '办理时间', width: 145, render: (task) => formatDateTime(task.completedAt) },
];

interface TableProps {
  label: string;
  tasks: TaskSummary[];
  columns: readonly Column[];
  loading: boolean;
  empty: ReactNode;
  /** 阅知: a box per row to pick notices for 批量已阅. */
  selection?: { picked: TaskSummary[]; onChange: (picked: TaskSummary[]) => void };
  onOpen: (task: TaskSummary) => void;
}

/** The inbox's table, in antd's middle-size look: a click on a row opens its task. */
function TaskTable({ label, tasks, columns: cols, loading, empty, selection, onOpen }: TableProps) {
  const pickedIds = new Set(selection?.picked.map((t) => t.id));
  const allPicked = tasks.length > 0 && tasks.every((t) => pickedIds.has(t.id));
  return (
    <div className="inbox-table-wrap" data-testid="inbox-table" aria-busy={loading}>
      <div className="inbox-table-scroll">
        <table className="inbox-table" aria-label={label}>
          <colgroup>
            {selection && <col style={{ width: 48 }} />}
            {cols.map((c) => (
              <col key={c.key} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {selection && (
                <th className="inbox-select-cell">
                  <input
                    type="checkbox"
                    aria-label="全选"
                    checked={allPicked}
                    disabled={tasks.length === 0}
                    onChange={(event) => selection.onChange(event.target.checked ? tasks : [])}
                  />
                </th>
              )}
              {cols.map((c) => (
                <th key={c.key} scope="col">
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr
                key={task.id}
                className="inbox-row"
                onClick={(event) => {
                  // Let a click on the title link, a selection box (or a selection of text) do what it does.
                  if (
                    (event.target as HTMLElement).closest('a, .inbox-select-cell') ||
                    window.getSelection()?.toString()
                  )
                    return;
                  onOpen(task);
                }}
              >
                {selection && (
                  <td className="inbox-select-cell">
                    <input
                      type="checkbox"
                      aria-label={`选择「${task.itemTitle}」`}
                      checked={pickedIds.has(task.id)}
                      onChange={(event) =>
                        selection.onChange(
                          event.target.checked
                            ? [...selection.picked, task]
                            : selection.picked.filter((t) => t.id !== task.id),
                        )
                      }
                    />
                  </td>
                )}
                {cols.map((c) => (
                  <td key={c.key}>{c.render(task)}</td>
                ))}
              </tr>
            ))}
            {tasks.length === 0 && (
              <tr className="inbox-empty-row">
                <td colSpan={cols.length + (selection ? 1 : 0)}>{loading ? null : empty}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {loading && (
        <div className="inbox-loading">
          <Spinner />
        </div>
      )}
    </div>
  );
}

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
  const isPhone = useIsPhone();
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

  const items = data?.items ?? [];
  const total = data?.total ?? 0;
  // 已办 is counted only 1000 rows past the page's start: then the total is a lower bound (docs/decisions/042).
  const capped = data?.totalCapped === true;
  const emptyNode = <Empty description={boxInfo.empty} />;

  const pagination: PaginationProps = {
    current: query.page,
    pageSize: query.pageSize,
    total,
    pageSizes: PAGE_SIZES,
    showTotal: isPhone ? undefined : (n: number) => (capped ? `${n} 条以上` : `共 ${n} 条`),
    simple: isPhone,
    onChange: (page: number, pageSize: number) =>
      pageSize !== query.pageSize ? update({ pageSize }, true) : update({ page }, false),
  };
  // A definition chosen in the address but not (yet) in the list is still shown as chosen.
  const definitionKnown = !query.definitionId || definitions.some((d) => d.definitionId === query.definitionId);
  const lightValue = query.box === 'done' ? undefined : query.light;

  return (
    <section className="inbox-page" aria-labelledby="inbox-heading">
      <div className="inbox-header">
        <h4 id="inbox-heading" className="inbox-heading">
          我的待办
        </h4>
        <button
          type="button"
          className={isPhone ? 'pl-btn pl-btn-icon' : 'pl-btn'}
          onClick={() => setReloadToken((n) => n + 1)}
          aria-label="刷新列表"
          aria-busy={loading && !!data}
        >
          {loading && !!data ? <Spinner size="small" /> : <ReloadOutlined aria-hidden />}
          {isPhone ? null : '刷新'}
        </button>
      </div>

      <div className="inbox-panel">
        <Tabs
          label="待办分类"
          activeKey={query.box}
          // Lights are for open tasks only: the 已办 box has none to filter by.
          onChange={(key: TaskBox) => update({ box: key, ...(key === 'done' ? { light: undefined } : {}) })}
          items={BOXES.map((b) => ({ key: b.box, label: b.label }))}
        />

        <div className="inbox-toolbar" role="search" aria-label="筛选待办">
          <form
            className="inbox-search"
            onSubmit={(event) => {
              event.preventDefault();
              update({ q: searchText.trim() });
            }}
          >
            <span className="inbox-search-box">
              <input
                type="search"
                className="pl-input inbox-search-input"
                placeholder="搜索事项标题或编号"
                aria-label="搜索事项"
                value={searchText}
                onChange={(event) => {
                  setSearchText(event.target.value);
                  if (event.target.value === '' && query.q) update({ q: '' });
                }}
              />
              {searchText && (
                <button
                  type="button"
                  className="inbox-search-clear"
                  aria-label="清除"
                  onClick={() => {
                    setSearchText('');
                    if (query.q) update({ q: '' });
                  }}
                >
                  <CloseCircleFilled aria-hidden />
                </button>
              )}
            </span>
            <button type="submit" className="pl-btn inbox-search-button" aria-label="搜索">
              <SearchOutlined aria-hidden />
            </button>
          </form>
          <select
            className={query.definitionId ? 'pl-input inbox-filter' : 'pl-input inbox-filter pl-placeholder'}
            aria-label="流程类型"
            aria-busy={definitionsLoading}
            value={query.definitionId ?? ''}
            onChange={(event) => update({ definitionId: event.target.value || undefined })}
          >
            <option value="">{query.definitionId ? '全部流程类型' : '流程类型'}</option>
            {!definitionKnown && <option value={query.definitionId}>{query.definitionId}</option>}
            {definitions.map((d) => (
              <option key={d.definitionId} value={d.definitionId}>
                {d.name}
              </option>
            ))}
          </select>
          <select
            className={
              lightValue
                ? 'pl-input inbox-filter inbox-filter-light'
                : 'pl-input inbox-filter inbox-filter-light pl-placeholder'
            }
            aria-label="状态灯"
            value={lightValue ?? ''}
            disabled={query.box === 'done'}
            onChange={(event) => update({ light: (event.target.value || undefined) as Light | undefined })}
          >
            <option value="">{lightValue ? '全部状态灯' : '状态灯'}</option>
            {LIGHT_ORDER.map((light) => (
              <option key={light} value={light}>
                {LIGHTS[light].label}
              </option>
            ))}
          </select>
        </div>

        {error ? (
          <div className="pl-alert inbox-error" role="alert">
            <ExclamationCircleFilled className="pl-alert-icon" aria-hidden />
            <div className="pl-alert-body">
              <div className="pl-alert-title">加载失败</div>
              <div>{errorMessage(error)}</div>
            </div>
            <button type="button" className="pl-btn pl-btn-sm" onClick={() => setReloadToken((n) => n + 1)}>
              重试
            </button>
          </div>
        ) : null}

        {selectable && (
          <WithAntd fallback={<div className="batch-read-placeholder" />}>
            <Suspense fallback={<div className="batch-read-placeholder" />}>
              <BatchReadButton
                selected={picked}
                onDone={() => {
                  setPicked([]);
                  setReloadToken((n) => n + 1);
                }}
              />
            </Suspense>
          </WithAntd>
        )}

        {isPhone ? (
          <TaskCardList tasks={items} loading={loading} empty={emptyNode} pagination={pagination} />
        ) : (
          <>
            <TaskTable
              label={`${boxInfo.label}列表`}
              tasks={items}
              columns={query.box === 'done' ? doneColumns : columns}
              loading={loading}
              empty={emptyNode}
              selection={selectable ? { picked, onChange: setPicked } : undefined}
              onOpen={(task) => navigate(`/tasks/${task.id}`)}
            />
            {/* As antd's Table: no pager under an empty list. */}
            {total > 0 && <Pagination {...pagination} />}
          </>
        )}
      </div>
    </section>
  );
}
