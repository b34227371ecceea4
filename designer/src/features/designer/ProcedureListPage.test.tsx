import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { mockFetch, type MockResponseInit } from '../../test/fetchMock';
import ProcedureListPage from './ProcedureListPage';

describe('流程设计', () => {
  it('shows 新建流程 pending while the draft saves, then opens it in the designer', async () => {
    let answer: (response: MockResponseInit) => void = () => {};
    const fetchFn = mockFetch({
      'GET /api/definitions': { body: [] },
      'PUT /api/definitions/lingdao-pishi': () => new Promise<MockResponseInit>((resolve) => (answer = resolve)),
    });
    const router = createMemoryRouter(
      [
        { path: '/designer', element: <ProcedureListPage /> },
        { path: '/designer/:definitionId', element: <p>设计器</p> },
      ],
      { initialEntries: ['/designer'] },
    );
    const user = userEvent.setup({ delay: null });
    render(
      <StyleProvider mock="server">
        <AppProviders motion={false}>
          <RouterProvider router={router} />
        </AppProviders>
      </StyleProvider>,
    );

    await user.click(await screen.findByRole('button', { name: /新建流程/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('流程名称'), ' 领导批示件 ');
    const id = within(dialog).getByLabelText('流程标识');
    await user.clear(id);
    await user.type(id, 'lingdao-pishi');
    const create = within(dialog).getByRole('button', { name: '创建' });
    await user.click(create);

    await waitFor(() => expect(create).toHaveClass('ant-btn-loading'));
    const [, init] = fetchFn.mock.calls.find(([, i]) => i?.method === 'PUT')!;
    expect(JSON.parse(String(init?.body))).toMatchObject({ definitionId: 'lingdao-pishi', name: '领导批示件' });
    expect(router.state.location.pathname).toBe('/designer');

    answer({ body: { definitionId: 'lingdao-pishi', version: 1 } });
    await waitFor(() => expect(router.state.location.pathname).toBe('/designer/lingdao-pishi'));
    expect(await screen.findByText('设计器')).toBeInTheDocument();
  });

  it('lists each node of an Elsa file that Duban cannot run, in Chinese, and stays on the list', async () => {
    const refused = {
      b036c71bbd31983d: [
        '「HttpEndpoint1」（Elsa.HttpEndpoint）：HTTP 节点督办不支持：督办的事项由人在系统中发起和办理',
      ],
      '13658e4b3bfafaaf': ['「Cron1」（Elsa.Cron）：定时触发督办不支持：按日程发起流程请在督办的「定期任务」中设置'],
    };
    const fetchFn = mockFetch({
      'GET /api/definitions': { body: [] },
      'POST /api/definitions/import': {
        status: 400,
        body: { title: '导入的 Elsa 流程中有督办无法运行的节点', status: 400, errors: refused },
      },
    });
    const router = createMemoryRouter(
      [
        { path: '/designer', element: <ProcedureListPage /> },
        { path: '/designer/:definitionId', element: <p>设计器</p> },
      ],
      { initialEntries: ['/designer'] },
    );
    const user = userEvent.setup({ delay: null });
    render(
      <StyleProvider mock="server">
        <AppProviders motion={false}>
          <RouterProvider router={router} />
        </AppProviders>
      </StyleProvider>,
    );

    await user.click(await screen.findByRole('button', { name: /导入 JSON/ }));
    const input = document.querySelector<HTMLInputElement>('[data-testid="json-file-input"]')!;
    const elsa = { definitionId: 'http', root: { type: 'Elsa.Flowchart', activities: [] } };
    const file = new File([JSON.stringify(elsa)], 'http-workflow.json', { type: 'application/json' });
    // jsdom's File has no text(); the browser's does.
    Object.defineProperty(file, 'text', { value: () => Promise.resolve(JSON.stringify(elsa)) });
    await user.upload(input, file);

    const list = await screen.findByTestId('import-problems');
    expect(list.closest('.ant-modal')).toHaveTextContent('导入失败：以下节点督办无法运行');
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([refused['b036c71bbd31983d'][0], refused['13658e4b3bfafaaf'][0]]);
    const [, init] = fetchFn.mock.calls.find(([, i]) => i?.method === 'POST')!;
    expect(JSON.parse(String(init?.body))).toEqual(elsa);
    expect(router.state.location.pathname).toBe('/designer');
  });
});
