import { describe, expect, it } from 'vitest';
import type { LedgerMeta } from './ledgerApi';
import { fileNameOf } from './ledgerApi';
import {
  activeFilterCount,
  allColumns,
  effectiveOrder,
  fieldKeysOf,
  filterableFields,
  loadColumnChoice,
  moveColumn,
  parseLedgerQuery,
  saveColumnChoice,
  sortFromTable,
  storageKey,
  toApiQuery,
  toExportQuery,
  toggleColumn,
  toSearchParams,
  unitsText,
} from './ledgerQuery';

const meta: LedgerMeta = {
  columns: [
    { key: 'number', title: '编号', sortable: true },
    { key: 'title', title: '事项名称', sortable: true },
    { key: 'definitionName', title: '流程类型', sortable: true },
    { key: 'status', title: '状态', sortable: true },
    { key: 'units', title: '承办单位', sortable: false },
    { key: 'dueAt', title: '办理期限', sortable: true },
    { key: 'light', title: '状态灯', sortable: false },
    { key: 'createdAt', title: '登记时间', sortable: true },
  ],
  defaultColumns: ['number', 'title', 'units', 'dueAt', 'light'],
  fields: [
    {
      key: 'source',
      label: '立项依据',
      type: 'select',
      options: [
        { value: 'meeting', label: '会议议定事项' },
        { value: 'instruction', label: '领导批示' },
      ],
      filterable: true,
      definitionIds: ['demo-supervision'],
    },
    {
      key: 'handlingUnit',
      label: '承办单位',
      type: 'unit',
      options: [],
      filterable: false,
      definitionIds: ['demo-supervision'],
    },
    {
      key: 'category',
      label: '类别',
      type: 'radio',
      options: [{ value: 'a', label: '甲类' }],
      filterable: true,
      definitionIds: ['proposal'],
    },
  ],
  sourceOptions: [{ value: 'meeting', label: '会议议定事项' }],
  maxExportRows: 5000,
};

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

describe('ledger URL state', () => {
  it('reads every filter, including form field filters, and writes them back without defaults', () => {
    const params = new URLSearchParams(
      'q=%E5%A4%8D%E8%AE%AE&definitionId=demo-supervision&unitId=jinan&status=open&light=red&dateField=dueAt&from=2026-01-01&to=2026-03-31&f.source=meeting&sort=dueAt&order=asc&page=3&pageSize=50',
    );
    const filters = parseLedgerQuery(params);
    expect(filters).toMatchObject({
      q: '复议',
      definitionId: 'demo-supervision',
      unitId: 'jinan',
      status: 'open',
      light: 'red',
      dateField: 'dueAt',
      from: '2026-01-01',
      to: '2026-03-31',
      fieldFilters: { source: 'meeting' },
      sort: 'dueAt',
      order: 'asc',
      page: 3,
      pageSize: 50,
    });
    expect(parseLedgerQuery(toSearchParams(filters))).toEqual(filters);
    expect(toSearchParams(parseLedgerQuery(new URLSearchParams())).toString()).toBe('');
  });

  it('drops malformed values instead of sending them', () => {
    const filters = parseLedgerQuery(
      new URLSearchParams(
        'status=running&light=blue&from=2026-1-1&to=tomorrow&order=up&page=-2&pageSize=1000&f.bad-key=x&f.source=%20&dateField=x',
      ),
    );
    expect(filters.status).toBeUndefined();
    expect(filters.light).toBeUndefined();
    expect(filters.from).toBeUndefined();
    expect(filters.to).toBeUndefined();
    expect(filters.order).toBeUndefined();
    expect(filters.page).toBe(1);
    expect(filters.pageSize).toBe(100);
    expect(filters.fieldFilters).toEqual({});
    expect(filters.dateField).toBe('createdAt');
  });

  it('counts active filters for the phone badge', () => {
    expect(activeFilterCount(parseLedgerQuery(new URLSearchParams()))).toBe(0);
    expect(
      activeFilterCount(
        parseLedgerQuery(
          new URLSearchParams('q=x&status=open&from=2026-01-01&to=2026-01-31&f.source=meeting&sort=title'),
        ),
      ),
    ).toBe(4);
  });
});

describe('requests', () => {
  it('sends the page, the filters and the form fields the shown columns need', () => {
    const filters = parseLedgerQuery(new URLSearchParams('f.source=meeting&status=open&page=2'));
    expect(toApiQuery(filters, ['number', 'title', 'f.source', 'f.handlingUnit'])).toEqual({
      q: undefined,
      definitionId: undefined,
      unitId: undefined,
      status: 'open',
      light: undefined,
      dateField: undefined,
      from: undefined,
      to: undefined,
      sort: 'createdAt',
      order: undefined,
      'f.source': 'meeting',
      page: 2,
      pageSize: 20,
      fields: 'source,handlingUnit',
    });
    expect(toApiQuery(filters, ['title']).fields).toBeUndefined();
  });

  it('exports exactly the filtered selection: no page, the shown columns in order', () => {
    const filters = parseLedgerQuery(new URLSearchParams('light=yellow&from=2026-02-01&page=4&pageSize=10'));
    const query = toExportQuery(filters, ['title', 'f.source', 'dueAt']);
    expect(query).toMatchObject({
      light: 'yellow',
      from: '2026-02-01',
      dateField: 'createdAt',
      columns: 'title,f.source,dueAt',
    });
    expect(query).not.toHaveProperty('page');
    expect(query).not.toHaveProperty('pageSize');
  });

  it('maps the table sorter to sort and order, and knows the server defaults', () => {
    expect(sortFromTable('title', 'ascend')).toEqual({ sort: 'title', order: 'asc' });
    expect(sortFromTable('dueAt', 'descend')).toEqual({ sort: 'dueAt', order: 'desc' });
    expect(sortFromTable('title', null)).toEqual({ sort: 'createdAt', order: undefined });
    expect(effectiveOrder({ sort: 'createdAt', order: undefined })).toBe('desc');
    expect(effectiveOrder({ sort: 'title', order: undefined })).toBe('asc');
    expect(effectiveOrder({ sort: 'title', order: 'desc' })).toBe('desc');
  });

  it('reads the file name the server gives the export', () => {
    expect(
      fileNameOf(
        'attachment; filename="x.xlsx"; filename*=UTF-8\'\'%E7%9D%A3%E6%9F%A5%E5%8F%B0%E8%B4%A6-20261123.xlsx',
      ),
    ).toBe('督查台账-20261123.xlsx');
    expect(fileNameOf('attachment; filename=ledger.xlsx')).toBe('ledger.xlsx');
    expect(fileNameOf(null)).toBe('督查台账.xlsx');
  });
});

describe('columns', () => {
  it('offers the fixed columns and one per form field, telling apart a field labelled like a fixed column', () => {
    const all = allColumns(meta);
    expect(all.map((c) => c.key)).toEqual([
      ...meta.columns.map((c) => c.key),
      'f.source',
      'f.handlingUnit',
      'f.category',
    ]);
    expect(all.find((c) => c.key === 'f.handlingUnit')?.title).toBe('承办单位（表单）');
    expect(all.find((c) => c.key === 'f.source')).toMatchObject({
      title: '立项依据',
      sortable: false,
      field: 'source',
    });
    expect(fieldKeysOf(['title', 'f.source', 'units', 'f.category'])).toEqual(['source', 'category']);
  });

  it('tells apart two fields with the same label by their procedure type', () => {
    const twice: LedgerMeta = {
      ...meta,
      fields: [
        meta.fields[0],
        { ...meta.fields[0], key: 'sourceType', definitionIds: ['decision-breakdown'] },
        { ...meta.fields[0], key: 'basis', definitionIds: [] },
      ],
    };
    const names: Record<string, string> = { 'decision-breakdown': '决策部署分解' };
    expect(
      allColumns(twice, (id) => names[id])
        .slice(-3)
        .map((c) => c.title),
    ).toEqual(['立项依据', '立项依据（决策部署分解）', '立项依据（basis）']);
  });

  it('remembers the choice per user and drops columns that no longer exist', () => {
    const storage = memoryStorage();
    const key = storageKey('user-1');
    expect(key).toBe('duban.ledger.columns:user-1');
    expect(loadColumnChoice(storage, key, meta)).toEqual(meta.defaultColumns);

    saveColumnChoice(storage, key, ['f.source', 'title', 'status']);
    expect(loadColumnChoice(storage, key, meta)).toEqual(['f.source', 'title', 'status']);
    expect(loadColumnChoice(storage, storageKey('user-2'), meta)).toEqual(meta.defaultColumns);

    storage.setItem(key, JSON.stringify(['f.gone', 'status', 'status', 42]));
    // 事项名称 always stays; unknown and duplicate entries go.
    expect(loadColumnChoice(storage, key, meta)).toEqual(['title', 'status']);
    storage.setItem(key, '{not json');
    expect(loadColumnChoice(storage, key, meta)).toEqual(meta.defaultColumns);
    storage.setItem(key, JSON.stringify(['f.gone']));
    expect(loadColumnChoice(storage, key, meta)).toEqual(meta.defaultColumns);
  });

  it('shows a column in catalogue order, hides it again, never hides the title, and moves columns', () => {
    const all = allColumns(meta);
    const chosen = ['number', 'title', 'light'];
    expect(toggleColumn(chosen, 'units', all)).toEqual(['number', 'title', 'units', 'light']);
    expect(toggleColumn(chosen, 'f.source', all)).toEqual(['number', 'title', 'light', 'f.source']);
    expect(toggleColumn(chosen, 'light', all)).toEqual(['number', 'title']);
    expect(toggleColumn(chosen, 'title', all)).toEqual(chosen);
    expect(moveColumn(chosen, 'light', -1)).toEqual(['number', 'light', 'title']);
    expect(moveColumn(chosen, 'number', -1)).toEqual(chosen);
    expect(moveColumn(chosen, 'light', 1)).toEqual(chosen);
  });

  it('offers the option fields of the chosen procedure type as filters', () => {
    expect(filterableFields(meta.fields, undefined).map((f) => f.key)).toEqual(['source', 'category']);
    expect(filterableFields(meta.fields, 'demo-supervision').map((f) => f.key)).toEqual(['source']);
  });

  it('keeps 来源 (each procedure its own source field) in the URL and sends it as source', () => {
    const filters = parseLedgerQuery(new URLSearchParams('source=meeting&status=open'));
    expect(filters.source).toBe('meeting');
    expect(toSearchParams(filters).toString()).toBe('status=open&source=meeting');
    expect(toApiQuery(filters, ['title', 'source'])).toMatchObject({ source: 'meeting' });
    expect(toExportQuery(filters, ['title', 'source'])).toMatchObject({ source: 'meeting', columns: 'title,source' });
    expect(activeFilterCount(filters)).toBe(2);
    expect(parseLedgerQuery(new URLSearchParams('source=%20')).source).toBeUndefined();
  });
});

describe('units', () => {
  it('marks 主办 and 协办', () => {
    expect(
      unitsText({
        units: ['济南市司法局', '法制处', '青岛市司法局'],
        unitRoles: { 济南市司法局: 'lead', 法制处: 'co' },
      }),
    ).toBe('济南市司法局（主办）、法制处（协办）、青岛市司法局');
    expect(unitsText({ units: [], unitRoles: {} })).toBe('');
  });
});
