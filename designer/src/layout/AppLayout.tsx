import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Drawer, Grid, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { authApi, errorMessage } from '../api/client';
import type { CurrentUser } from '../api/types';
import { activeRouteKey, filterRoutesByRole, outsideBusiness } from '../app/navigation';
import { appRoutes } from '../app/routes';
import { useAuth, useCurrentUser } from '../features/auth/AuthContext';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useMutation } from '../shared/useMutation';
import './layout.css';

const { Header, Sider, Content } = Layout;

// A form in a dialog most visits never open: loaded when it is (the first screen's size, docs/decisions/040).
const SecondFactorDialog = lazy(() =>
  import('../features/auth/SecondFactorDialog').then((m) => ({ default: m.SecondFactorDialog })),
);
const ChangePasswordDialog = lazy(() =>
  import('../features/auth/ChangePasswordDialog').then((m) => ({ default: m.ChangePasswordDialog })),
);

function RoleTags({ roles }: { roles: readonly string[] }) {
  return (
    <span className="role-tags" aria-label="角色">
      {roles.map((role) => (
        <Tag key={role} color="blue" bordered={false}>
          {role}
        </Tag>
      ))}
    </span>
  );
}

function LogoutButton({ block }: { block?: boolean }) {
  const { logout } = useAuth();
  const navigate = useNavigate();
  const { message } = AntdApp.useApp();
  // Signed out or not, the user leaves for the login page; a failure is only mentioned.
  const leave = () => navigate('/login', { replace: true });
  const signOut = useMutation(logout, {
    onSuccess: leave,
    onError: (error) => {
      message.warning(`退出时出错：${errorMessage(error)}`);
      leave();
    },
  });

  return (
    <Button
      icon={<LogoutOutlined aria-hidden />}
      onClick={() => void signOut.run()}
      loading={signOut.pending}
      block={block}
    >
      退出登录
    </Button>
  );
}

function UserSummary({ user }: { user: CurrentUser }) {
  return (
    <div className="user-summary" aria-label="当前用户">
      <span className="user-name">{user.displayName}</span>
      {user.unitName && <span className="user-unit">{user.unitName}</span>}
      <RoleTags roles={user.roles} />
    </div>
  );
}

export function AppLayout() {
  const user = useCurrentUser();
  const screens = Grid.useBreakpoint();
  // Until breakpoints are known (first render) assume desktop.
  const isPhone = screens.md === false;
  // The platform administrator and an auditor take no part in the business: no tasks, notifications or deputies are
  // theirs (decisions 035, 044).
  const ofOrganization = !outsideBusiness(user);
  const location = useLocation();
  const navigate = useNavigate();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  // An expired password is changed before anything else (the server answers nothing else meanwhile).
  const [passwordExpired, setPasswordExpired] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    authApi
      .passwordPolicy(controller.signal)
      .then((policy) => setPasswordExpired(policy.passwordExpired))
      .catch(() => undefined);
    return () => controller.abort();
  }, [user.id]);
  // 两步验证: opened from the header; required by a role of the person and not enrolled — opened at once, after the
  // password, and not dismissable (decision 046).
  const [secondFactorOpen, setSecondFactorOpen] = useState(false);
  const [secondFactorRequired, setSecondFactorRequired] = useState(false);
  useEffect(() => {
    if (passwordExpired) return;
    const controller = new AbortController();
    authApi
      .secondFactor(controller.signal)
      .then((status) => setSecondFactorRequired(status.enrolmentRequired))
      .catch(() => undefined);
    return () => controller.abort();
  }, [user.id, passwordExpired]);

  const menuRoutes = useMemo(() => filterRoutesByRole(appRoutes, user).filter((route) => !route.hideInMenu), [user]);
  const selectedKey = activeRouteKey(menuRoutes, location.pathname);
  const current = menuRoutes.find((route) => route.key === selectedKey);

  useEffect(() => {
    document.title = current ? `${current.label} - 督办` : '督办';
  }, [current]);

  // Close the phone drawer after navigating (adjusted while rendering, not in an effect).
  const [drawerPath, setDrawerPath] = useState(location.pathname);
  if (location.pathname !== drawerPath) {
    setDrawerPath(location.pathname);
    setDrawerOpen(false);
  }

  const menuItems: MenuProps['items'] = menuRoutes.map((route) => ({
    key: route.key,
    icon: route.icon,
    label: route.label,
  }));

  const onMenuClick: MenuProps['onClick'] = ({ key }) => {
    const route = menuRoutes.find((r) => r.key === key);
    if (route && route.path !== location.pathname) navigate(route.path);
    setDrawerOpen(false);
  };

  const menu = (
    <nav aria-label="主导航">
      <Menu
        mode="inline"
        items={menuItems}
        selectedKeys={selectedKey ? [selectedKey] : []}
        onClick={onMenuClick}
        inlineCollapsed={isPhone ? false : collapsed}
      />
    </nav>
  );

  return (
    <Layout className="app-layout">
      <Header className="app-header">
        <div className="app-header-left">
          {isPhone && (
            <Button
              type="text"
              className="app-header-menu-button"
              icon={<MenuOutlined aria-hidden />}
              aria-label="打开导航菜单"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          <a
            className="app-brand"
            href="/"
            onClick={(event) => {
              event.preventDefault();
              navigate('/');
            }}
          >
            <span className="app-logo" aria-hidden="true">
              督
            </span>
            <span className="app-brand-name">督办</span>
          </a>
        </div>
        <div className="app-header-right">
          {ofOrganization && <NotificationBell />}
          {isPhone ? (
            <Typography.Text className="user-name-compact" ellipsis>
              {user.displayName}
            </Typography.Text>
          ) : (
            <Space size="middle" align="center">
              <UserSummary user={user} />
              {ofOrganization && (
                <>
                  <Button onClick={() => navigate('/notifications/settings')}>通知设置</Button>
                  <Button onClick={() => navigate('/deputies')}>我的代理</Button>
                </>
              )}
              <Button onClick={() => setSecondFactorOpen(true)}>两步验证</Button>
              <Button onClick={() => setPasswordOpen(true)}>修改密码</Button>
              <LogoutButton />
            </Space>
          )}
        </div>
      </Header>
      <Layout>
        {!isPhone && (
          <Sider
            className="app-sider"
            width={200}
            theme="light"
            breakpoint="lg"
            collapsedWidth={64}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            trigger={null}
          >
            {menu}
          </Sider>
        )}
        <Content className="app-content">
          <Suspense
            fallback={
              <div className="page-center">
                <Spin size="large" />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
      {isPhone && (
        <Drawer
          title="导航"
          placement="left"
          width={280}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          styles={{ body: { padding: 0 } }}
        >
          <div className="drawer-user">
            <UserSummary user={user} />
          </div>
          {menu}
          <div className="drawer-footer">
            {ofOrganization && (
              <>
                <Button block onClick={() => navigate('/deputies')}>
                  我的代理
                </Button>
                <Button block onClick={() => navigate('/notifications/settings')}>
                  通知设置
                </Button>
              </>
            )}
            <Button block onClick={() => setSecondFactorOpen(true)}>
              两步验证
            </Button>
            <Button block onClick={() => setPasswordOpen(true)}>
              修改密码
            </Button>
            <LogoutButton block />
          </div>
        </Drawer>
      )}
      {(passwordOpen || passwordExpired) && (
        <Suspense fallback={null}>
          <ChangePasswordDialog
            open
            expired={passwordExpired}
            onClose={() => setPasswordOpen(false)}
            onChanged={() => {
              setPasswordOpen(false);
              setPasswordExpired(false);
            }}
          />
        </Suspense>
      )}
      {!passwordExpired && (secondFactorOpen || secondFactorRequired) && (
        <Suspense fallback={null}>
          <SecondFactorDialog
            required={secondFactorRequired}
            onClose={() => {
              setSecondFactorOpen(false);
              // Enrolled now: the server answers again; the page reloads what it was refused.
              if (secondFactorRequired) window.location.reload();
            }}
          />
        </Suspense>
      )}
    </Layout>
  );
}
