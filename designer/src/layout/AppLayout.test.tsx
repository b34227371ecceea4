import { act, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitions, liaisonUser, page, task } from '../test/fixtures';
import { mockFetch } from '../test/fetchMock';
import { preloadPages, renderApp } from '../test/renderApp';

beforeAll(preloadPages, 60000);

/** antd's App draws this wrapper: present where antd's providers are. */
const antdApp = () => document.querySelector('.ant-app');

describe('首屏不含 antd（决定 040）', () => {
  it('draws the shell and the inbox without antd, brings antd with another page and keeps it', async () => {
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/tasks': { body: page([task()], 1) },
      'GET /api/definitions': { body: definitions },
    });
    const { router } = renderApp('/', { antd: 'lazy' });

    const table = await screen.findByRole('table', { name: '待办列表' });
    expect(await within(table).findByText('关于加快推进营商环境优化的批示')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: '主导航' })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: '待办' })).toHaveAttribute('aria-current', 'page');
    expect(antdApp()).toBeNull();

    // Another page inside the layout: antd's providers (zh_CN) come with it.
    await act(() => router.navigate('/no-such-page'));
    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
    expect(antdApp()).not.toBeNull();

    // Back to 待办: the providers stay (a page's message outlives its way back), the inbox is drawn inside them.
    await act(() => router.navigate('/'));
    expect(await screen.findByRole('table', { name: '待办列表' })).toBeInTheDocument();
    expect(antdApp()).not.toBeNull();
    expect(antdApp()).toContainElement(screen.getByRole('table', { name: '待办列表' }));
  });
});
