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
});
