import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDirectory } from '../../shared/forms/directory';
import { mockFetch, type MockResponseInit, type RouteHandler } from '../../test/fetchMock';
import { liaisonUser } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { startFormOf } from './startForm';

beforeAll(async () => {
  await Promise.all([import('./StartPage'), import('../../shared/forms/FormRenderer')]);
}, 60000);

const definition = {
  definitionId: 'demo',
  name: '督查事项办理',
  description: '登记 → 审定 → 承办',
  version: 2,
  forms: [
    {
      id: 'f',
      name: '督查事项表',
      fields: [
        { key: 'title', label: '事项名称', type: 'text', required: true },
        { key: 'report', label: '办理情况', type: 'textarea', required: true },
      ],
    },
  ],
  root: {
    type: 'Duban.Flowchart',
    id: 'flowchart',
    activities: [
      {
        id: 'start',
        type: 'Duban.Start',
        name: '登记',
        form: { typeName: 'String', expression: { type: 'Literal', value: 'f' } },
        fieldPermissions: { typeName: 'Object', expression: { type: 'Literal', value: { report: 'hidden' } } },
      },
    ],
    connections: [],
  },
};

function setup(extra: Record<string, RouteHandler | MockResponseInit> = {}) {
  resetDirectory();
  return mockFetch({
    'GET /api/auth/me': {
      body: { ...liaisonUser, roles: ['督查员'], permissions: ['seeAllItems', 'supervise', 'score'] },
    },
    'GET /api/definitions': {
      body: [
        {
          definitionId: 'demo',
          name: '督查事项办理',
          description: '登记 → 审定 → 承办',
          publishedVersion: 2,
          latestVersion: 3,
          hasDraft: true,
          canStart: true,
        },
        {
          definitionId: 'office-only',
          name: '仅限督查室发起',
          description: null,
          publishedVersion: 1,
          latestVersion: 1,
          hasDraft: false,
          canStart: false,
        },
        {
          definitionId: 'draft-only',
          name: '草稿流程',
          description: null,
          publishedVersion: null,
          latestVersion: 1,
          hasDraft: true,
          canStart: false,
        },
      ],
    },
    'GET /api/definitions/demo': (url) => ({
      body: {
        meta: {
          id: 'r2',
          definitionId: 'demo',
          version: Number(url.searchParams.get('version')),
          name: '督查事项办理',
          isPublished: true,
        },
        definition,
      },
    }),
    ...extra,
  });
}

describe('发起', () => {
  it('reads the start form and its permissions from the start activity', () => {
    const start = startFormOf(definition as never);
    expect(start.form?.id).toBe('f');
    expect(start.permissions).toEqual({ report: 'hidden' });
    expect(startFormOf({ ...definition, root: { ...definition.root, activities: [] } } as never)).toEqual({
      form: null,
      permissions: {},
    });
  });

  it('offers only published procedures, fills the start form and opens the new item', async () => {
    const fetchFn = setup({ 'POST /api/instances': { status: 201, body: { id: 'new-item', title: '营商环境' } } });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/start');
    const list = await screen.findByRole('list', { name: '流程类型' });
    expect(within(list).getByText('督查事项办理')).toBeInTheDocument();
    expect(within(list).queryByText('草稿流程')).not.toBeInTheDocument();
    // A procedure this user may not start (its 发起权限) is not offered.
    expect(within(list).queryByText('仅限督查室发起')).not.toBeInTheDocument();

    await user.click(within(list).getByRole('button', { name: '发起「督查事项办理」' }));
    expect(await screen.findByRole('heading', { name: '发起：督查事项办理' })).toBeInTheDocument();
    // The published version is the one started (2), not the newer draft (3).
    expect(fetchFn.mock.calls.some(([u]) => String(u).includes('/api/definitions/demo?version=2'))).toBe(true);
    // The field hidden at the start step is not on the form.
    expect(screen.queryByText('办理情况')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '提交' }));
    expect(await screen.findByText('「事项名称」为必填项')).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: '事项名称' }), '营商环境');
    await user.click(screen.getByRole('button', { name: '提交' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/items/new-item'));
    const post = fetchFn.mock.calls.find(([, init]) => init?.method === 'POST');
    // The office (a 督查员 here) says on every registration whether the item is confidential (decision 037).
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      definitionId: 'demo',
      data: { title: '营商环境' },
      restriction: { restricted: false, userIds: [], unitIds: [] },
    });
  });

  it('shows the server’s field errors beside the fields', async () => {
    setup({
      'POST /api/instances': {
        status: 400,
        body: {
          status: 400,
          detail: '表单填写有误，请检查标出的字段',
          errors: { title: ['「事项名称」不能超过2个字'] },
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/start?definitionId=demo');
    await user.type(await screen.findByRole('textbox', { name: '事项名称' }), '营商环境');
    await user.click(screen.getByRole('button', { name: '提交' }));
    const field = screen.getByRole('textbox', { name: '事项名称' }).closest('.ant-form-item') as HTMLElement;
    expect(await within(field).findByText('「事项名称」不能超过2个字')).toBeInTheDocument();
  });
});
