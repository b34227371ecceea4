import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  FileExcelOutlined,
  FilterOutlined,
  PlusOutlined,
  ReloadOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Badge,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Grid,
  Input,
  List,
  Popover,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import type { Light } from '../../api/types';
import { useCurrentUser } from '../auth/AuthContext';
import { formatDateTime, orEmpty, EMPTY } from '../../shared/format';
import { newCursorTrail, rememberCursor, withCursor } from '../../shared/cursorTrail';
import { buildUnitTree, toTreeSelect } from '../org/unitTree';
import { ProvisionalMark } from '../../shared/deadline/ProvisionalMark';
import { ledgerApi, saveBlob, type LedgerField, type LedgerMeta, type LedgerRow } from './ledgerApi';
import {
  activeFilterCount,
  allColumns,
  DATE_FIELDS,
  effectiveOrder,
  filterableFields,
  loadColumnChoice,
  moveColumn,
  PAGE_SIZES,
  parseLedgerQuery,
  saveColumnChoice,
  sortFromTable,
  STATUSES,
  statusInfo,
  storageKey,
  toApiQuery,
  toExportQuery,
  toggleColumn,
  toSearchParams,
  unitsText,
  type ColumnDef,
  type DateField,
  type LedgerFilters,
} from './ledgerQuery';
import { useLedgerMeta, useLedgerOptions, useLedgerRows } from './useLedgerData';
import './ledger.css';

const LIGHTS: Record<Light, { label: string; color: string }> = {
  green: { label: '正常', color: '#52c41a' },
  yellow: { label: '临期', color: '#faad14' },
  red: { label: '超期', color: '#f5222d' },
};

function LedgerLight({ light }: { light: Light | null }) {
  if (!light || !LIGHTS[light]) return <span className="ledger-none">{EMPTY}</span>;
  return (
    <span className={`ledger-light ledger-light-${light}`} data-light={light}>
      <span className="ledger-light-dot" style={{ backgroundColor: LIGHTS[light].color }} aria-hidden="true" />
      {LIGHTS[light].label}
    </span>
  );
}

function StatusTag({ row }: { row: LedgerRow }) {
  const info = statusInfo(row.status);
  const tag = (
    <Tag color={info.color} bordered={false}>
      {info.label}
    </Tag>
  );
  return row.status === 'faulted' && row.incident ? <Tooltip title={row.incident}>{tag}</Tooltip> : tag;
}

function stepsText(row: LedgerRow): string {
  return row.currentSteps.map((s) => (s.holder ? `${s.name}（${s.holder}）` : s.name)).join('；');
}

/** The cell of one column. */
function cell(row: LedgerRow, column: ColumnDef): ReactNode {
  if (column.field) return orEmpty(row.fields[column.field] ?? null);
  switch (column.key) {
    case 'number':
      return orEmpty(row.number);
    case 'title':
      return (
        <Link to={`/items/${row.id}`} className="ledger-title" onClick={(e) => e.stopPropagation()}>
          {row.title}
        </Link>
      );
    case 'definitionName':
      return row.definitionName;
    case 'status':
      return (
        <>
          <StatusTag row={row} />
          {row.archivedAt && <Tag data-testid="ledger-archived">已归档</Tag>}
        </>
      );
    case 'currentSteps':
      return row.currentSteps.length > 0 ? stepsText(row) : EMPTY;
    case 'units':
      return row.units.length > 0 ? unitsText(row) : EMPTY;
    case 'initiatorName':
      return orEmpty(row.initiatorName);
    case 'source':
      return orEmpty(row.source ?? null);
    case 'createdAt':
      return formatDateTime(row.createdAt);
    case 'dueAt':
      return (
        <>
          {formatDateTime(row.dueAt)} <ProvisionalMark provisional={row.provisional} />
        </>
      );
    case 'light':
      return <LedgerLight light={row.light} />;
    case 'finishedAt':
      return formatDateTime(row.finishedAt);
    case 'result':
      return orEmpty(row.result);
    case 'updatedAt':
      return formatDateTime(row.updatedAt);
    default:
      return EMPTY;
  }
}

/** Column widths; 事项名称 takes what is left. The default columns fit a 1366 × 768 screen without scrolling. */
const WIDTHS: Record<string, number> = {
  number: 120,
  definitionName: 140,
  status: 84,
  currentSteps: 160,
  units: 140,
  initiatorName: 90,
  createdAt: 136,
  dueAt: 136,
  light: 76,
  finishedAt: 136,
  result: 110,
  updatedAt: 136,
};
const TITLE_MIN_WIDTH = 220;

function ColumnChooser({
  all,
  chosen,
  onChange,
  onReset,
}: {
  all: ColumnDef[];
  chosen: string[];
  onChange: (next: string[]) => void;
  onReset: () => void;
}) {
  const byKey = new Map(all.map((c) => [c.key, c]));
  const hidden = all.filter((c) => !chosen.includes(c.key));
  return (
    <div className="ledger-columns" data-testid="ledger-columns">
      <Typography.Text type="secondary" className="ledger-columns-hint">
        勾选要显示的列，用箭头调整顺序；导出 Excel 使用同样的列。
      </Typography.Text>
      <ul className="ledger-columns-list" aria-label="已显示的列">
        {chosen.map((key, index) => {
          const column = byKey.get(key);
          if (!column) return null;
          return (
            <li key={key}>
              <Checkbox checked disabled={key === 'title'} onChange={() => onChange(toggleColumn(chosen, key, all))}>
                {column.title}
              </Checkbox>
              <span className="ledger-columns-move">
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowUpOutlined />}
                  aria-label={`${column.title}左移`}
                  disabled={index === 0}
                  onClick={() => onChange(moveColumn(chosen, key, -1))}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowDownOutlined />}
                  aria-label={`${column.title}右移`}
                  disabled={index === chosen.length - 1}
                  onClick={() => onChange(moveColumn(chosen, key, 1))}
                />
              </span>
            </li>
          );
        })}
      </ul>
      {hidden.length > 0 && (
        <>
          <Typography.Text type="secondary">未显示</Typography.Text>
          <ul className="ledger-columns-list" aria-label="未显示的列">
            {hidden.map((column) => (
              <li key={column.key}>
                <Checkbox checked={false} onChange={() => onChange(toggleColumn(chosen, column.key, all))}>
                  {column.title}
                  {column.field ? (
                    <span className="ledger-columns-field" aria-hidden="true">
                      表单字段
                    </span>
                  ) : null}
                </Checkbox>
              </li>
            ))}
          </ul>
        </>
      )}
      <Button size="small" onClick={onReset}>
        恢复默认列
      </Button>
    </div>
  );
}

/** 更多条件: pick a form field with options, then one of its values. */
function FieldFilterPicker({ fields, onAdd }: { fields: LedgerField[]; onAdd: (key: string, value: string) => void }) {
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState<string | undefined>();
  const [value, setValue] = useState<string | undefined>();
  const field = fields.find((f) => f.key === key);
  if (fields.length === 0) return null;
  return (
    <Popover
      trigger="click"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setKey(undefined);
          setValue(undefined);
        }
      }}
      title="按表单字段筛选"
      content={
        <div className="ledger-field-picker">
          <Select
            aria-label="表单字段"
            placeholder="选择字段"
            showSearch
            optionFilterProp="label"
            options={fields.map((f) => ({ value: f.key, label: f.label }))}
            value={key}
            onChange={(k: string) => {
              setKey(k);
              setValue(undefined);
            }}
          />
          <Select
            aria-label="字段值"
            placeholder="选择值"
            disabled={!field}
            showSearch
            optionFilterProp="label"
            options={field?.options.map((o) => ({ value: o.value, label: o.label })) ?? []}
            value={value}
            onChange={(v: string) => setValue(v)}
          />
          <Button
            type="primary"
            size="small"
            disabled={!key || !value}
            onClick={() => {
              if (key && value) onAdd(key, value);
              setOpen(false);
              setKey(undefined);
              setValue(undefined);
            }}
          >
            添加条件
          </Button>
        </div>
      }
    >
      <Button icon={<PlusOutlined />}>更多条件</Button>
    </Popover>
  );
}

export default function LedgerPage() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { message } = AntdApp.useApp();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => parseLedgerQuery(searchParams), [searchParams]);
  const meta = useLedgerMeta();
  const options = useLedgerOptions();
  const columnsKey = storageKey(user.id);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [reloadToken, setReloadToken] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [searchText, setSearchText] = useState(filters.q);
  // The box follows the address (back, a link): adjusted while rendering, not in an effect.
  const [shownQ, setShownQ] = useState(filters.q);
  if (filters.q !== shownQ) {
    setShownQ(filters.q);
    setSearchText(filters.q);
  }

  // The remembered columns, once the catalogue (fixed columns and form fields) is known.
  const [choiceFor, setChoiceFor] = useState<{ meta: unknown; key: string } | null>(null);
  if (meta.data && (choiceFor?.meta !== meta.data || choiceFor.key !== columnsKey)) {
    setChoiceFor({ meta: meta.data, key: columnsKey });
    setChosen(loadColumnChoice(window.localStorage, columnsKey, meta.data));
  }

  const definitionNames = useMemo(
    () => new Map(options.definitions.map((d) => [d.definitionId, d.name])),
    [options.definitions],
  );
  const catalogue = useMemo(
    () => (meta.data ? allColumns(meta.data, (id) => definitionNames.get(id)) : []),
    [meta.data, definitionNames],
  );
  const shown = useMemo(() => {
    const byKey = new Map(catalogue.map((c) => [c.key, c]));
    return (chosen ?? []).map((k) => byKey.get(k)).filter((c): c is ColumnDef => !!c);
  }, [catalogue, chosen]);

  // 下一页 / 上一页 by cursor, fast at any depth (docs/decisions/042, addendum).
  const [trail] = useState(newCursorTrail);
  const apiQuery = useMemo(
    () => (chosen ? withCursor(trail, toApiQuery(filters, chosen)) : null),
    [filters, chosen, trail],
  );
  const rows = useLedgerRows(apiQuery, reloadToken);
  useEffect(() => {
    if (apiQuery && rows.data && !rows.loading && rows.data.page === apiQuery.page)
      rememberCursor(trail, apiQuery, rows.data.nextCursor);
  }, [apiQuery, rows.data, rows.loading, trail]);

  function update(patch: Partial<LedgerFilters>, resetPage = true) {
    const next: LedgerFilters = { ...filters, ...(resetPage ? { page: 1 } : {}), ...patch };
    setSearchParams(toSearchParams(next), { flushSync: true });
  }

  function chooseColumns(next: string[]) {
    setChosen(next);
    saveColumnChoice(window.localStorage, columnsKey, next);
  }

  function resetColumns(m: LedgerMeta) {
    window.localStorage.removeItem(columnsKey);
    setChosen(loadColumnChoice(undefined, columnsKey, m));
  }

  const total = rows.data?.total ?? 0;
  // A long ledger is counted only 1000 rows past the page's start: then the total is a lower bound (docs/decisions/042).
  const capped = rows.data?.totalCapped === true;
  const maxExport = meta.data?.maxExportRows ?? 0;

  async function exportExcel() {
    if (!chosen) return;
    if (maxExport > 0 && total > maxExport) {
      message.warning(`符合条件的事项共 ${total} 条，超过单次导出上限 ${maxExport} 条，请缩小筛选范围后再导出`);
      return;
    }
    setExporting(true);
    try {
      const { blob, fileName } = await ledgerApi.export(toExportQuery(filters, chosen));
      saveBlob(blob, fileName);
      message.success(capped ? '已导出' : `已导出 ${total} 条事项`);
    } catch (error) {
      message.error(`导出失败：${errorMessage(error)}`);
    } finally {
      setExporting(false);
    }
  }

  const fields = meta.data?.fields ?? [];
  const sourceOptions = meta.data?.sourceOptions ?? [];
  const otherFilterFields = filterableFields(fields, filters.definitionId);
  const unitTree = useMemo(() => toTreeSelect(buildUnitTree(options.units)), [options.units]);
  const filterCount = activeFilterCount(filters);

  const filterControls = (
    <>
      <Input.Search
        className="ledger-search"
        placeholder="搜索事项名称或编号"
        aria-label="搜索事项"
        allowClear
        value={searchText}
        onChange={(event) => {
          setSearchText(event.target.value);
          if (event.target.value === '' && filters.q) update({ q: '' });
        }}
        onSearch={(value) => update({ q: value.trim() })}
      />
      <Select
        className="ledger-filter"
        aria-label="流程类型"
        placeholder="流程类型"
        allowClear
        showSearch
        optionFilterProp="label"
        loading={options.loading}
        options={options.definitions.map((d) => ({ value: d.definitionId, label: d.name }))}
        value={filters.definitionId}
        onChange={(value: string | undefined) => update({ definitionId: value || undefined })}
      />
      {sourceOptions.length > 0 && (
        <Select
          className="ledger-filter"
          aria-label="来源"
          placeholder="来源"
          allowClear
          options={sourceOptions.map((o) => ({ value: o.value, label: o.label }))}
          value={filters.source}
          onChange={(value: string | undefined) => update({ source: value || undefined })}
        />
      )}
      <TreeSelect
        className="ledger-filter"
        aria-label="承办单位"
        placeholder="承办单位"
        allowClear
        showSearch
        treeNodeFilterProp="title"
        treeDefaultExpandAll
        loading={options.loading}
        treeData={unitTree}
        value={filters.unitId}
        onChange={(value: string | undefined) => update({ unitId: value || undefined })}
        popupMatchSelectWidth={260}
      />
      <Select
        className="ledger-filter ledger-filter-narrow"
        aria-label="状态"
        placeholder="状态"
        allowClear
        options={STATUSES.map((s) => ({ value: s.value, label: s.label }))}
        value={filters.status}
        onChange={(value: LedgerFilters['status']) => update({ status: value })}
      />
      <Select
        className="ledger-filter ledger-filter-narrow"
        aria-label="状态灯"
        placeholder="状态灯"
        allowClear
        options={(Object.keys(LIGHTS) as Light[]).map((light) => ({
          value: light,
          label: <LedgerLight light={light} />,
          title: LIGHTS[light].label,
        }))}
        value={filters.light}
        onChange={(value: Light | undefined) => update({ light: value })}
      />
      <Space.Compact className="ledger-dates">
        <Select
          aria-label="日期类型"
          className="ledger-date-field"
          options={DATE_FIELDS.map((d) => ({ value: d.value, label: d.label }))}
          value={filters.dateField}
          onChange={(value: DateField) => update({ dateField: value })}
        />
        <DatePicker.RangePicker
          aria-label="日期范围"
          allowEmpty={[true, true]}
          value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
          onChange={(range: [Dayjs | null, Dayjs | null] | null) =>
            update({
              from: range?.[0] ? range[0].format('YYYY-MM-DD') : undefined,
              to: range?.[1] ? range[1].format('YYYY-MM-DD') : undefined,
            })
          }
        />
      </Space.Compact>
      <FieldFilterPicker
        fields={otherFilterFields.map((f) => ({
          ...f,
          label: catalogue.find((c) => c.field === f.key)?.title ?? f.label,
        }))}
        onAdd={(key, value) => update({ fieldFilters: { ...filters.fieldFilters, [key]: value } })}
      />
      {Object.entries(filters.fieldFilters).map(([key, value]) => {
        const field = fields.find((f) => f.key === key);
        const label = field?.options.find((o) => o.value === value)?.label ?? value;
        return (
          <Tag
            key={key}
            closable
            className="ledger-field-tag"
            onClose={(event) => {
              event.preventDefault();
              const fieldFilters = { ...filters.fieldFilters };
              delete fieldFilters[key];
              update({ fieldFilters });
            }}
          >
            {catalogue.find((c) => c.field === key)?.title ?? field?.label ?? key}：{label}
          </Tag>
        );
      })}
      {filters.timeliness && (
        <Tag
          closable
          className="ledger-field-tag"
          onClose={(event) => {
            event.preventDefault();
            update({ timeliness: undefined });
          }}
        >
          办结时效：{filters.timeliness === 'onTime' ? '按期办结' : '逾期办结'}
        </Tag>
      )}
      {filterCount > 0 && (
        <Button
          type="link"
          onClick={() =>
            update({
              q: '',
              definitionId: undefined,
              unitId: undefined,
              status: undefined,
              light: undefined,
              from: undefined,
              to: undefined,
              timeliness: undefined,
              fieldFilters: {},
            })
          }
        >
          清除筛选
        </Button>
      )}
    </>
  );

  const order = effectiveOrder(filters);
  const tableColumns: TableProps<LedgerRow>['columns'] = shown.map((column) => ({
    key: column.key,
    title: column.title,
    width: column.key === 'title' ? undefined : (WIDTHS[column.key] ?? 140),
    ellipsis: column.key !== 'title',
    sorter: column.sortable,
    sortOrder: column.sortable && filters.sort === column.key ? (order === 'asc' ? 'ascend' : 'descend') : null,
    sortDirections: ['ascend', 'descend', 'ascend'],
    render: (_: unknown, row: LedgerRow) => cell(row, column),
  }));

  const onTableChange: TableProps<LedgerRow>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<LedgerRow>;
      update(sortFromTable(s.columnKey ? String(s.columnKey) : undefined, s.order));
    } else if (extra.action === 'paginate') {
      if (pagination.pageSize && pagination.pageSize !== filters.pageSize) update({ pageSize: pagination.pageSize });
      else update({ page: pagination.current ?? 1 }, false);
    }
  };

  const pagination = {
    current: filters.page,
    pageSize: filters.pageSize,
    total,
    showSizeChanger: !isPhone,
    pageSizeOptions: PAGE_SIZES.map(String),
    showTotal: (n: number) => (capped ? `${n} 条以上` : `共 ${n} 条`),
    simple: isPhone,
  };

  const empty = (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filterCount > 0 ? '没有符合条件的事项' : '暂无事项'} />
  );
  const error = meta.error ?? rows.error;

  return (
    <section className="ledger-page" aria-labelledby="ledger-heading">
      <div className="ledger-header">
        <Typography.Title level={4} id="ledger-heading" className="ledger-heading">
          督查台账
        </Typography.Title>
        <Space wrap>
          {isPhone ? (
            <Badge count={filterCount} size="small">
              <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen(true)}>
                筛选
              </Button>
            </Badge>
          ) : (
            meta.data &&
            chosen && (
              <Popover
                trigger="click"
                placement="bottomRight"
                title="列设置"
                content={
                  <ColumnChooser
                    all={catalogue}
                    chosen={chosen}
                    onChange={chooseColumns}
                    onReset={() => resetColumns(meta.data!)}
                  />
                }
              >
                <Button icon={<SettingOutlined />}>列设置</Button>
              </Popover>
            )
          )}
          <Tooltip title={maxExport > 0 ? `导出当前筛选的全部事项（上限 ${maxExport} 条）` : undefined}>
            <Button
              icon={<FileExcelOutlined />}
              loading={exporting}
              disabled={!chosen || !rows.data}
              onClick={exportExcel}
            >
              导出 Excel
            </Button>
          </Tooltip>
          <Button
            icon={<ReloadOutlined />}
            aria-label="刷新台账"
            loading={rows.loading && !!rows.data}
            onClick={() => setReloadToken((n) => n + 1)}
          >
            {isPhone ? null : '刷新'}
          </Button>
        </Space>
      </div>

      <div className="ledger-panel">
        {!isPhone && (
          <div className="ledger-toolbar" role="search" aria-label="筛选台账">
            {filterControls}
          </div>
        )}

        {error ? (
          <Alert
            className="ledger-error"
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

        {isPhone ? (
          <List<LedgerRow>
            className="ledger-cards"
            data-testid="ledger-list"
            aria-label="台账卡片列表"
            dataSource={rows.data?.items ?? []}
            loading={rows.loading}
            locale={{ emptyText: empty }}
            pagination={{ ...pagination, align: 'center', size: 'small', onChange: (page) => update({ page }, false) }}
            rowKey="id"
            renderItem={(row) => (
              <List.Item className="ledger-card">
                <Link to={`/items/${row.id}`} className="ledger-card-link">
                  <article aria-label={row.title}>
                    <header className="ledger-card-header">
                      <span className="ledger-card-title">{row.title}</span>
                      <StatusTag row={row} />
                    </header>
                    <dl className="ledger-card-fields">
                      <div>
                        <dt>编号</dt>
                        <dd>{orEmpty(row.number)}</dd>
                      </div>
                      <div>
                        <dt>承办单位</dt>
                        <dd>{row.units.length > 0 ? unitsText(row) : EMPTY}</dd>
                      </div>
                      <div>
                        <dt>当前环节</dt>
                        <dd>{row.currentSteps.length > 0 ? stepsText(row) : EMPTY}</dd>
                      </div>
                      <div>
                        <dt>期限</dt>
                        <dd>
                          {formatDateTime(row.dueAt)} <ProvisionalMark provisional={row.provisional} />{' '}
                          <LedgerLight light={row.light} />
                        </dd>
                      </div>
                    </dl>
                  </article>
                </Link>
              </List.Item>
            )}
          />
        ) : (
          <Table<LedgerRow>
            data-testid="ledger-table"
            aria-label="台账列表"
            rowKey="id"
            columns={tableColumns}
            dataSource={rows.data?.items ?? []}
            loading={rows.loading || meta.loading}
            pagination={pagination}
            onChange={onTableChange}
            locale={{ emptyText: empty }}
            scroll={{
              x: shown.reduce((sum, c) => sum + (c.key === 'title' ? TITLE_MIN_WIDTH : (WIDTHS[c.key] ?? 140)), 0),
            }}
            size="middle"
            rowClassName="ledger-row"
            onRow={(row) => ({ onClick: () => navigate(`/items/${row.id}`) })}
          />
        )}
      </div>

      {isPhone && (
        <Drawer
          title="筛选台账"
          placement="bottom"
          height="80%"
          open={filtersOpen}
          onClose={() => setFiltersOpen(false)}
        >
          <div className="ledger-toolbar ledger-toolbar-phone" role="search" aria-label="筛选台账">
            {filterControls}
          </div>
          <Button type="primary" block onClick={() => setFiltersOpen(false)}>
            查看 {total}
            {capped ? '+' : ''} 条结果
          </Button>
        </Drawer>
      )}
    </section>
  );
}
