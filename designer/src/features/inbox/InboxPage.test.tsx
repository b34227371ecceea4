import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../api/types';
import { definitions, liaisonUser, page, task } from '../../test/fixtures';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { preloadPages, renderApp } from '../../test/renderApp';
import { setViewportWidth } from '../../test/viewport';

beforeAll(preloadPages, 60000);

const rows = [
  task(),
  task({
    id: 't2',
    itemTitle: '全市安全生产专项整治督查',
    itemNumber: null,
    activityName: '督查员审核',
    unitName: null,
    dueAt: null,
    light: null,
    createdAt: '2026-03-02T08:05:00+08:00',
  }),
  task({ id: 't3', itemTitle: '城市更新项目进度', light: 'red', dueAt: '2026-02-28T17:00:00+08:00' }),
];

function setup(tasks = page(rows, 45), user: CurrentUser = liaisonUser) {
  return mockFetch({
    'GET /api/auth/me': { body: user },
    'GET /api/tasks': () => ({ body: tasks }),
    'GET /api/definitions': { body: definitions },
  });
}

describe('待办列表', () => {
  it('renders rows from the API in the table', async () => {
    const fetchFn = setup();
    renderApp('/');

    const table = await screen.findByTestId('inbox-table');
    await within(table).findByText('关于加快推进营商环境优化的批示');

    const grid = within(table).getByRole('table', { name: '待办列表' });
    const bodyRows = within(grid).getAllByRole('row').slice(1);
    expect(bodyRows).toHaveLength(3);

    const first = within(bodyRows[0]);
    expect(first.getByText('督〔2026〕1号')).toBeInTheDocument();
    expect(first.getByText('承办单位办理')).toBeInTheDocument();
    expect(first.getByText('法制处')).toBeInTheDocument();
    expect(first.getByText('2026-03-15 18:00')).toBeInTheDocument();
    expect(first.getByText('正常')).toBeInTheDocument();
    expect(first.getByText('2026-03-01 09:30')).toBeInTheDocument();

    // Missing number, unit, deadline and light show "—".
    const second = within(bodyRows[1]);
    expect(second.getAllByText('—')).toHaveLength(4);
    expect(within(bodyRows[2]).getByText('超期')).toBeInTheDocument();

    expect(screen.getByText('共 45 条')).toBeInTheDocument();
    // antd's zh-CN locale is active (pagination says 条/页, not "/ page").
    expect(screen.getByText('20 条/页')).toBeInTheDocument();
    for (const name of ['编号', '事项', '环节', '承办单位', '期限', '状态灯', '到达时间']) {
      expect(within(grid).getByRole('columnheader', { name })).toBeInTheDocument();
    }

    const [url] = calledUrls(fetchFn, '/api/tasks');
    expect(url.searchParams.get('box')).toBe('todo');
    expect(url.searchParams.get('page')).toBe('1');
    expect(url.searchParams.get('pageSize')).toBe('20');
  });

  it('shows the empty state', async () => {
    setup(page([]));
    renderApp('/');
    const table = await screen.findByTestId('inbox-table');
    expect(await within(table).findByText('暂无待办')).toBeInTheDocument();
  });

  it('loads the 已办 box when its tab is chosen', async () => {
    const fetchFn = setup();
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/');

    await user.click(await screen.findByRole('tab', { name: '已办' }));
    await waitFor(() => expect(calledUrls(fetchFn, '/api/tasks').at(-1)?.searchParams.get('box')).toBe('done'));
    expect(router.state.location.search).toBe('?box=done');
    expect(screen.getByRole('tab', { name: '已办' })).toHaveAttribute('aria-selected', 'true');
  });

  it('sends the search text and resets to page 1', async () => {
    const fetchFn = setup();
    const user = userEvent.setup({ delay: null });
    renderApp('/?page=2');

    const search = await screen.findByRole('searchbox', { name: '搜索事项' });
    await user.type(search, '营商{Enter}');
    await waitFor(() => {
      const last = calledUrls(fetchFn, '/api/tasks').at(-1)!;
      expect(last.searchParams.get('q')).toBe('营商');
      expect(last.searchParams.get('page')).toBe('1');
    });
  });

  it('passes filters from the URL to the API and offers definitions', async () => {
    const fetchFn = setup();
    const user = userEvent.setup({ delay: null });
    renderApp('/?definitionId=key-task&light=red');

    await screen.findByTestId('inbox-table');
    const [url] = calledUrls(fetchFn, '/api/tasks');
    expect(url.searchParams.get('definitionId')).toBe('key-task');
    expect(url.searchParams.get('light')).toBe('red');
    // The selected definition is shown by name once definitions have loaded.
    const definition = screen.getByRole('combobox', { name: '流程类型' });
    await waitFor(() => expect(definition).toHaveDisplayValue('重点工作'));
    expect(within(definition).getByRole('option', { name: '领导批示件' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: '状态灯' })).toHaveDisplayValue('超期');

    // Choosing another definition keeps the light and asks again from page 1.
    await user.selectOptions(definition, '领导批示件');
    await waitFor(() => {
      const last = calledUrls(fetchFn, '/api/tasks').at(-1)!;
      expect(last.searchParams.get('definitionId')).not.toBe('key-task');
      expect(last.searchParams.get('light')).toBe('red');
    });
  });

  it('keeps the tab and other filters when a filter changes', async () => {
    const fetchFn = setup();
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/?box=notice&q=批示');

    await screen.findByTestId('inbox-table');
    await user.selectOptions(screen.getByRole('combobox', { name: '状态灯' }), '超期');
    await waitFor(() => {
      const last = calledUrls(fetchFn, '/api/tasks').at(-1)!;
      expect(Object.fromEntries(last.searchParams)).toEqual({
        box: 'notice',
        page: '1',
        pageSize: '20',
        q: '批示',
        light: 'red',
      });
    });
    expect(new URLSearchParams(router.state.location.search).get('light')).toBe('red');
  });

  it('shows the server error and retries', async () => {
    let fail = true;
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/tasks': () =>
        fail
          ? { status: 500, body: { title: 'Internal Server Error', status: 500, detail: '数据库不可用' } }
          : { body: page(rows) },
      'GET /api/definitions': { body: definitions },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/');

    expect(await screen.findByText('数据库不可用')).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('关于加快推进营商环境优化的批示')).toBeInTheDocument();
    expect(screen.queryByText('数据库不可用')).not.toBeInTheDocument();
  });

  it('uses a card list and a menu button at phone width', async () => {
    setViewportWidth(375);
    setup();
    const user = userEvent.setup({ delay: null });
    renderApp('/');

    const list = await screen.findByTestId('inbox-list');
    expect(await within(list).findByRole('article', { name: '全市安全生产专项整治督查' })).toBeInTheDocument();
    expect(screen.queryByTestId('inbox-table')).not.toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: '主导航' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '打开导航菜单' }));
    const nav = await screen.findByRole('navigation', { name: '主导航' });
    expect(within(nav).getByText('待办')).toBeInTheDocument();
  });
});

describe('布局', () => {
  it('shows the product name, user, unit and roles, and only permitted menu items', async () => {
    setup(page([]), {
      ...liaisonUser,
      roles: ['督查员', '领导'],
      permissions: ['seeAllItems', 'supervise', 'score'],
    });
    renderApp('/');

    const banner = await screen.findByRole('banner');
    await within(banner).findByText('法制处联络员');
    expect(banner).toHaveTextContent('督办');
    expect(within(banner).getByText('法制处')).toBeInTheDocument();
    expect(within(banner).getByText('督查员')).toBeInTheDocument();
    expect(within(banner).getByText('领导')).toBeInTheDocument();
    expect(within(banner).getByRole('button', { name: '退出登录' })).toBeInTheDocument();

    const nav = screen.getByRole('navigation', { name: '主导航' });
    const entries = within(nav)
      .getAllByRole('menuitem')
      .map((item) => item.textContent);
    expect(entries.slice(0, 2)).toEqual(['待办', '发起']);
    // Administrators' screens are not offered to staff.
    for (const adminOnly of ['流程设计', '表单设计', '组织']) expect(entries).not.toContain(adminOnly);
  });

  it('offers the design screens to administrators', async () => {
    setup(page([]), {
      ...liaisonUser,
      roles: ['管理员'],
      permissions: ['seeAllItems', 'supervise', 'designProcedures', 'configureSupervision', 'manageUnitsAndPeople'],
    });
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: '主导航' });
    const entries = within(nav)
      .getAllByRole('menuitem')
      .map((item) => item.textContent);
    expect(entries).toEqual(expect.arrayContaining(['待办', '发起', '流程设计', '表单设计']));
  });

  it('shows 404 for unknown paths inside the layout', async () => {
    setup(page([]));
    renderApp('/no-such-page');
    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
  });
});
