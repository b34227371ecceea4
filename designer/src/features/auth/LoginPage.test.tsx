import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { liaisonUser, page } from '../../test/fixtures';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { preloadPages, renderApp } from '../../test/renderApp';

beforeAll(preloadPages, 60000);

const unauthorized = { status: 401, body: { title: 'Unauthorized', status: 401 } };

describe('登录页', () => {
  it('shows the server error from problem details', async () => {
    const fetchFn = mockFetch({
      'GET /api/auth/me': unauthorized,
      'POST /api/auth/login': {
        status: 401,
        body: { title: 'Unauthorized', status: 401, detail: '用户名或密码错误' },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/login');

    await user.type(await screen.findByLabelText('用户名'), 'fazhi');
    await user.type(screen.getByLabelText('密码'), 'wrong');
    await user.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('用户名或密码错误');
    const [, init] = fetchFn.mock.calls.find(([url]) => String(url) === '/api/auth/login')!;
    expect(JSON.parse(String(init?.body))).toEqual({ userName: 'fazhi', password: 'wrong' });
  });

  it('shows validation errors next to the fields', async () => {
    mockFetch({
      'GET /api/auth/me': unauthorized,
      'POST /api/auth/login': {
        status: 400,
        body: { title: 'One or more validation errors occurred.', status: 400, errors: { Password: ['密码长度不足'] } },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/login');

    await user.type(await screen.findByLabelText('用户名'), 'fazhi');
    await user.type(screen.getByLabelText('密码'), 'x');
    await user.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByText('密码长度不足')).toBeInTheDocument();
    expect(screen.queryByRole('alert', { name: /validation/ })).not.toBeInTheDocument();
  });

  it('requires user name and password before calling the server', async () => {
    const fetchFn = mockFetch({ 'GET /api/auth/me': unauthorized });
    const user = userEvent.setup({ delay: null });
    renderApp('/login');

    await user.click(await screen.findByRole('button', { name: '登录' }));
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(screen.getByText('请输入密码')).toBeInTheDocument();
    expect(calledUrls(fetchFn, '/api/auth/login')).toHaveLength(0);
  });

  it('goes to the inbox after a successful login', async () => {
    let signedIn = false;
    mockFetch({
      'GET /api/auth/me': () => (signedIn ? { body: liaisonUser } : unauthorized),
      'POST /api/auth/login': () => {
        signedIn = true;
        return { body: liaisonUser };
      },
      'GET /api/tasks': { body: page([]) },
      'GET /api/definitions': { body: [] },
    });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/login');

    await user.type(await screen.findByLabelText('用户名'), 'fazhi');
    await user.type(screen.getByLabelText('密码'), 'Duban@2026');
    await user.click(screen.getByRole('button', { name: '登录' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(await screen.findByRole('tab', { name: '待办' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('法制处联络员');
  });
});

describe('会话', () => {
  it('sends an anonymous visitor of / to /login', async () => {
    mockFetch({ 'GET /api/auth/me': unauthorized });
    const { router } = renderApp('/');
    expect(await screen.findByRole('button', { name: '登录' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('goes to /login when an API call answers 401 later', async () => {
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/tasks': unauthorized,
      'GET /api/definitions': { body: [] },
    });
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(await screen.findByRole('button', { name: '登录' })).toBeInTheDocument();
  });

  it('logs out with POST /api/auth/logout', async () => {
    const fetchFn = mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/tasks': { body: page([]) },
      'GET /api/definitions': { body: [] },
      'POST /api/auth/logout': { status: 204 },
    });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/');

    await user.click(await screen.findByRole('button', { name: '退出登录' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(calledUrls(fetchFn, '/api/auth/logout')).toHaveLength(1);
  });
});

describe('无效的用户信息', () => {
  it('reports an empty /api/auth/me body instead of crashing', async () => {
    mockFetch({ 'GET /api/auth/me': { status: 200 } });
    renderApp('/');
    expect(await screen.findByText('无法获取登录状态')).toBeInTheDocument();
    expect(screen.getByText('服务器返回的用户信息无效')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '重试' })).toBeInTheDocument();
  });
});

describe('必须修改密码', () => {
  it('the one-time initial password: the dialog says why and cannot be dismissed', async () => {
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/auth/password-policy': {
        body: {
          minLength: 10,
          requiredClasses: 3,
          history: 5,
          expiryDays: 0,
          description: '至少 10 位',
          passwordExpired: true,
          changeRequiredReason: '这是系统生成的一次性初始密码，请先改为自己的密码',
        },
      },
    });
    renderApp('/');

    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('这是系统生成的一次性初始密码，请先改为自己的密码')).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: /取消|Close/ })).toBeNull();
  });
});
