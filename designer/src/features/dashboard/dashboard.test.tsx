import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Suspense, type ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CurrentUser } from '../../api/types';
import { mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';
import type { DashboardFigure, DashboardView } from './dashboardApi';
import { ledgerLink } from './dashboardApi';
import {
  barOption,
  figureOf,
  headline,
  LIGHT_THEME,
  onTimeRateOption,
  overdueByUnit,
  rateColor,
  ringOption,
  trendOption,
} from './dashboardCharts';
import { taskColor, timelineBars, timelineOption } from './battleMap';
import { LANDED_KEY, landed, landsOnCockpit, noteEntry } from './landing';
import HomePage from './HomePage';
import { AuthProvider, useAuth } from '../auth/AuthContext';

// Canvas drawing is the browser test's business; here a chart is its option, and its data points are clickable.
vi.mock('./EChart', () => ({
  EChart: ({
    label,
    option,
    onPointClick,
  }: {
    label: string;
    option: { series: { data: unknown[] }[] };
    onPointClick?: (d: unknown) => void;
  }) => (
    <div role="img" aria-label={label}>
      {option.series[0]?.data.map((d, i) => (
        <button key={i} type="button" onClick={() => onPointClick?.(d)}>
          {`${label}-${(d as { name?: string }).name ?? i}`}
        </button>
      ))}
    </div>
  ),
}));

const f = (key: string, label: string, count: number, query: string): DashboardFigure => ({ key, label, count, query });

const view: DashboardView = {
  generatedAt: '2026-12-07T02:00:00Z',
  query: '',
  total: f('total', '全部事项', 8, ''),
  byStatus: [
    f('open', '办理中', 6, 'status=open'),
    f('completed', '已办结', 1, 'status=completed'),
    f('cancelled', '已取消', 1, 'status=cancelled'),
    f('faulted', '异常', 0, 'status=faulted'),
  ],
  byLight: [
    f('red', '超期', 1, 'status=open&light=red'),
    f('yellow', '临期', 0, 'status=open&light=yellow'),
    f('green', '正常', 5, 'status=open&light=green'),
  ],
  units: [
    {
      unitId: 'jinan',
      unitName: '济南市司法局',
      open: f('jinan', '济南市司法局', 2, 'unitId=jinan&status=open'),
      overdue: f('jinan', '济南市司法局', 1, 'unitId=jinan&status=open&light=red'),
      completed: f('jinan', '济南市司法局', 4, 'unitId=jinan&status=completed'),
      onTime: f('jinan', '济南市司法局', 3, 'unitId=jinan&status=completed&timeliness=onTime'),
      onTimeRate: 75,
    },
    {
      unitId: 'fzc',
      unitName: '法制处',
      open: f('fzc', '法制处', 2, 'unitId=fzc&status=open'),
      overdue: f('fzc', '法制处', 0, 'unitId=fzc&status=open&light=red'),
      completed: f('fzc', '法制处', 0, 'unitId=fzc&status=completed'),
      onTime: f('fzc', '法制处', 0, 'unitId=fzc&status=completed&timeliness=onTime'),
      onTimeRate: null,
    },
  ],
  bySource: [f('meeting', '会议决定', 4, 'source=meeting'), f('document', '重要文件', 0, 'source=document')],
  byDefinition: [f('demo-supervision', '督查督办', 8, 'definitionId=demo-supervision')],
  months: [
    {
      month: '2026-11',
      registered: f('2026-11', '登记', 0, 'dateField=createdAt&from=2026-11-01&to=2026-11-30'),
      closed: f('2026-11', '办结', 0, 'x'),
    },
    {
      month: '2026-12',
      registered: f('2026-12', '登记', 8, 'dateField=createdAt&from=2026-12-01&to=2026-12-31'),
      closed: f('2026-12', '办结', 1, 'y'),
    },
  ],
};

const leader: CurrentUser = {
  id: 'u-ld',
  userName: 'lingdao',
  displayName: '李厅长',
  unitId: 'sft',
  unitName: '司法厅',
  roles: ['领导'],
  permissions: ['seeAllItems'],
  outsideBusiness: false,
};

describe('dashboard charts', () => {
  it('carry each figure on its data point, so a click knows its ledger filter', () => {
    const ring = ringOption(view.byStatus, LIGHT_THEME);
    // Empty figures are left out of a ring.
    expect(ring.series[0].data.map((d) => d.name)).toEqual(['办理中', '已办结', '已取消']);
    expect(figureOf(ring.series[0].data[0])?.query).toBe('status=open');
    expect(ledgerLink(figureOf(barOption(view.byLight, LIGHT_THEME).series[0].data[0])!)).toBe(
      '/ledger?status=open&light=red',
    );
    expect(figureOf({ value: 3 })).toBeUndefined();
    expect(figureOf(null)).toBeUndefined();
  });

  it('rate only the units that completed something, and colour the rate', () => {
    const option = onTimeRateOption(view, LIGHT_THEME);
    expect(option.yAxis.data).toEqual(['济南市司法局']);
    const bar = option.series[0].data[0];
    expect(bar.value).toBe(75);
    expect(bar.figure.query).toContain('timeliness=onTime');
    expect(bar.itemStyle?.color).toBe(rateColor(75));
    expect([rateColor(95), rateColor(75), rateColor(10)]).toEqual(['#52c41a', '#faad14', '#f5222d']);
  });

  it('list overdue units most first, with the unit as the label', () => {
    expect(overdueByUnit(view).map((u) => [u.label, u.count, u.query])).toEqual([
      ['济南市司法局', 1, 'unitId=jinan&status=open&light=red'],
    ]);
  });

  it('sum the headline on-time rate over the units', () => {
    const top = headline(view);
    expect(top.onTimeRate).toBe(75);
    expect(top.overdue?.count).toBe(1);
    expect(headline({ ...view, units: [] }).onTimeRate).toBeNull();
  });

  it('draw the trend by month, each point a ledger filter by date', () => {
    const option = trendOption(view, LIGHT_THEME);
    expect(option.xAxis.data).toEqual(['26/11', '26/12']);
    expect(option.series[0].data[1].figure.query).toBe('dateField=createdAt&from=2026-12-01&to=2026-12-31');
  });
});

describe('挂图作战', () => {
  const task = (over: object) =>
    ({
      instanceId: 't1',
      index: 0,
      number: null,
      title: '任务一',
      state: 'open',
      result: null,
      timeliness: null,
      light: 'green',
      createdAt: '2026-11-01T00:00:00Z',
      dueAt: '2026-12-31T00:00:00Z',
      finishedAt: null,
      leadUnitId: 'fzc',
      leadUnitName: '法制处',
      coUnitNames: [],
      currentSteps: [],
      percent: 40,
      currentPhase: '调研',
      progressReports: 1,
      lastReportAt: null,
      lastReport: null,
      returns: 0,
      extensionsApproved: 0,
      chases: 0,
      ...over,
    }) as Parameters<typeof taskColor>[0] & Parameters<typeof timelineBars>[0][number];

  it('colours a task by its light, done grey, late brown', () => {
    expect(taskColor(task({ light: 'red' }))).toBe('#f5222d');
    expect(taskColor(task({ state: 'done', timeliness: 'onTime' }))).toBe('#8c8c8c');
    expect(taskColor(task({ state: 'done', timeliness: 'late' }))).toBe('#ad4e00');
    expect(taskColor(task({ state: 'cancelled' }))).toBe('#d9d9d9');
  });

  it('draws each task from its start to its deadline with its reported progress', () => {
    const now = Date.parse('2026-12-07T00:00:00Z');
    const [open, done, undated] = timelineBars(
      [task({}), task({ state: 'done', finishedAt: '2027-01-05T00:00:00Z', percent: 30 }), task({ dueAt: null })],
      now,
    );
    expect([open.start, open.end, open.percent, open.name]).toEqual([
      Date.parse('2026-11-01T00:00:00Z'),
      Date.parse('2026-12-31T00:00:00Z'),
      40,
      '任务一（法制处）',
    ]);
    // Done late: the bar runs to when it was done, and a finished task is 100 %.
    expect([done.end, done.percent]).toEqual([Date.parse('2027-01-05T00:00:00Z'), 100]);
    // Open without a deadline: up to today.
    expect(undated.end).toBe(now);
    const option = timelineOption([task({})], now);
    expect(option.series[0].markLine.data).toEqual([{ xAxis: now }]);
  });
});

describe('a leader lands on his 驾驶舱', () => {
  const leader = { roles: ['领导'], permissions: ['seeAllItems'] };
  it('once per session, only at the bare root, and not when he is also of the office', () => {
    expect(landsOnCockpit(leader, '', false)).toBe(true);
    expect(landsOnCockpit(leader, '', true)).toBe(false);
    expect(landsOnCockpit(leader, '?tab=done', false)).toBe(false);
    expect(
      landsOnCockpit({ roles: ['领导', '督查员'], permissions: ['seeAllItems', 'supervise', 'score'] }, '', false),
    ).toBe(false);
    expect(landsOnCockpit({ roles: ['承办单位联络员'], permissions: ['handleUnitTasks'] }, '', false)).toBe(false);
  });

  it('by what the roles let him do, not by their names', () => {
    // An organization's own role that reads everything and acts on nothing (特约督查员) lands there too …
    expect(landsOnCockpit({ roles: ['特约督查员'], permissions: ['seeAllItems'] }, '', false)).toBe(true);
    // … a role named 领导 that was given the office's acts does not, nor an administrator who reads items.
    expect(landsOnCockpit({ roles: ['领导'], permissions: ['seeAllItems', 'supervise'] }, '', false)).toBe(false);
    expect(
      landsOnCockpit(
        { roles: ['管理员'], permissions: ['seeAllItems', 'manageUnitsAndPeople', 'designProcedures'] },
        '',
        false,
      ),
    ).toBe(false);
    // A 领导 whose organization took the items away from the role reads none: his 待办 is his home.
    expect(landsOnCockpit({ roles: ['领导'], permissions: [] }, '', false)).toBe(false);
    expect(landsOnCockpit({ roles: ['审计员'], permissions: ['readAuditLog'], outsideBusiness: true }, '', false)).toBe(
      false,
    );
  });
});

describe('DashboardPage', () => {
  afterEach(() => {
    sessionStorage.removeItem(LANDED_KEY);
    vi.unstubAllGlobals();
  });

  it(
    'takes a leader from the root to his 驾驶舱, whose numbers and charts open the ledger with their filter',
    { timeout: 60_000 },
    async () => {
      mockFetch({
        'GET /api/auth/me': { body: leader },
        'GET /api/dashboard': { body: view },
        'GET /api/ledger': { body: { items: [], total: 1, page: 1, pageSize: 20 } },
        'GET /api/ledger/meta': {
          body: { columns: [], defaultColumns: [], fields: [], maxExportRows: 5000, sourceOptions: [] },
        },
        'GET /api/definitions': { body: [] },
        'GET /api/units': { body: [] },
      });
      const { router } = renderApp('/');
      // The page is a lazy chunk: under a loaded machine it takes a while.
      expect(await screen.findByRole('heading', { name: '领导驾驶舱' }, { timeout: 15_000 })).toBeInTheDocument();
      expect(router.state.location.pathname).toBe('/cockpit');
      expect(sessionStorage.getItem(LANDED_KEY)).toBe('1');
      // 待办 one click away.
      expect(screen.getByRole('link', { name: /我的待办/ })).toHaveAttribute('href', '/');
      expect(await screen.findByRole('link', { name: /超期 1，查看台账/ }, { timeout: 15_000 })).toHaveAttribute(
        'href',
        '/ledger?status=open&light=red',
      );
      expect(screen.queryByRole('link', { name: /预警/ })).not.toBeInTheDocument();

      fireEvent.click(screen.getByRole('button', { name: '各单位超期事项-济南市司法局' }));
      await waitFor(() => expect(router.state.location.pathname).toBe('/ledger'), { timeout: 15_000 });
      expect(router.state.location.search).toBe('?unitId=jinan&status=open&light=red');
    },
  );
});

describe('landing', () => {
  afterEach(() => sessionStorage.removeItem(LANDED_KEY));

  it('a session that starts at a task link or the 待办 tab by name has had its landing; the bare root has not', () => {
    noteEntry({ pathname: '/', search: '' });
    expect(landed()).toBe(false);
    noteEntry({ pathname: '/', search: '?box=todo' });
    expect(landed()).toBe(true);
    sessionStorage.removeItem(LANDED_KEY);
    noteEntry({ pathname: '/tasks/t1', search: '' });
    expect(landed()).toBe(true);
  });

  it('a first render that React throws away (a sibling suspends on a slow chunk) does not use up the landing', async () => {
    mockFetch({
      'GET /api/auth/me': { body: leader },
    });
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let ready = false;
    void slow.then(() => (ready = true));
    function SlowChunk() {
      if (!ready) throw slow;
      return null;
    }
    function SignedIn({ children }: { children: ReactNode }) {
      return useAuth().status === 'authenticated' ? children : null;
    }
    const router = createMemoryRouter(
      [
        {
          path: '/',
          element: (
            <SignedIn>
              <Suspense fallback={<p>加载中</p>}>
                <HomePage />
                <SlowChunk />
              </Suspense>
            </SignedIn>
          ),
        },
        { path: '/cockpit', element: <h1>驾驶舱</h1> },
      ],
      { initialEntries: ['/'] },
    );
    render(
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>,
    );
    expect(await screen.findByText('加载中')).toBeInTheDocument();
    expect(landed()).toBe(false);
    await act(async () => release());
    expect(await screen.findByRole('heading', { name: '驾驶舱' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/cockpit');
    expect(landed()).toBe(true);
  });

  it('after any visit to the root, the root is 待办 for the rest of the session', async () => {
    mockFetch({
      'GET /api/auth/me': { body: leader },
      'GET /api/tasks': { body: { items: [], total: 0, page: 1, pageSize: 20 } },
      'GET /api/definitions': { body: [] },
    });
    const { router } = renderApp('/?box=todo');
    await waitFor(() => expect(landed()).toBe(true), { timeout: 15_000 });
    await act(() => router.navigate('/'));
    expect(router.state.location.pathname).toBe('/');
  });
});
