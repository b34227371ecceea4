import { CloseOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { authApi, errorMessage } from '../api/client';
import type { CurrentUser } from '../api/types';
import { activeRouteKey, filterRoutesByRole, outsideBusiness } from '../app/navigation';
import { appRoutes, type AppRoute } from '../app/routes';
import { preloadAntd, WithAntd } from '../app/WithAntd';
import { useAuth, useCurrentUser } from '../features/auth/AuthContext';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { PageSpinner, Spinner } from '../shared/plain/Spinner';
import { useIsPhone, useMedia } from '../shared/plain/useMedia';
import { useMutation } from '../shared/useMutation';
import './layout.css';

// The shell is drawn without antd (the first screen's size, docs/decisions/040): antd's providers wrap the routed page
// (every page but the inbox) and the dialogs, loaded with the first of them.
// A form in a dialog most visits never open: loaded when it is.
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
        <span key={role} className="pl-tag">
          {role}
        </span>
      ))}
    </span>
  );
}

function LogoutButton({ block }: { block?: boolean }) {
  const { logout } = useAuth();
  const navigate = useNavigate();
  // Signed out or not, the user leaves for the login page; a failure is only mentioned.
  const leave = () => navigate('/login', { replace: true });
  const signOut = useMutation(logout, {
    onSuccess: leave,
    onError: (error) => {
      void import('../app/antdMessage').then(({ message }) => message.warning(`退出时出错：${errorMessage(error)}`));
      leave();
    },
  });

  return (
    <button
      type="button"
      className={block ? 'pl-btn pl-btn-block' : 'pl-btn'}
      onClick={() => void signOut.run()}
      disabled={signOut.pending}
    >
      {signOut.pending ? <Spinner size="small" label="正在退出" /> : <LogoutOutlined aria-hidden />}
      退出登录
    </button>
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

/** The side menu: links (role menuitem) to the screens the person may open, the current one marked. */
function SideMenu({
  routes,
  selectedKey,
  collapsed,
  onNavigate,
}: {
  routes: readonly AppRoute[];
  selectedKey: string | undefined;
  collapsed: boolean;
  onNavigate: (route: AppRoute) => void;
}) {
  return (
    <nav aria-label="主导航">
      <ul className={collapsed ? 'app-menu app-menu-collapsed' : 'app-menu'} role="menu">
        {routes.map((route) => {
          const selected = route.key === selectedKey;
          return (
            <li key={route.key} role="none">
              <a
                role="menuitem"
                href={route.path}
                className={selected ? 'app-menu-item app-menu-item-selected' : 'app-menu-item'}
                aria-current={selected ? 'page' : undefined}
                title={collapsed ? route.label : undefined}
                onClick={(event) => {
                  // Ctrl/⌘-click and the middle button open a tab as a link does.
                  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  onNavigate(route);
                }}
              >
                {route.icon && (
                  <span className="app-menu-icon" aria-hidden="true">
                    {route.icon}
                  </span>
                )}
                <span className="app-menu-label">{route.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The phone's navigation: a panel from the left over a mask, closed by the mask, the close button or Escape. */
function NavDrawer({ open, onClose, children }: { open: boolean; onClose: () => void; children: ReactNode }) {
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose]);
  if (!open) return null;
  return (
    <div className="nav-drawer-root">
      <div className="nav-drawer-mask" onClick={onClose} aria-hidden="true" />
      <div className="nav-drawer" role="dialog" aria-modal="true" aria-labelledby="nav-drawer-title">
        <div className="nav-drawer-header">
          <button
            type="button"
            className="pl-btn pl-btn-text pl-btn-icon"
            aria-label="关闭"
            onClick={onClose}
            autoFocus
          >
            <CloseOutlined aria-hidden />
          </button>
          <span id="nav-drawer-title" className="nav-drawer-title">
            导航
          </span>
        </div>
        <div className="nav-drawer-body">{children}</div>
      </div>
    </div>
  );
}

export function AppLayout() {
  const user = useCurrentUser();
  const isPhone = useIsPhone();
  // antd's Sider collapsed below its lg breakpoint (992 px): the menu shows its icons only.
  const narrow = useMedia('(max-width: 991.98px)');
  // The platform administrator and an auditor take no part in the business: no tasks, notifications or deputies are
  // theirs (decisions 035, 044).
  const ofOrganization = !outsideBusiness(user);
  const location = useLocation();
  const navigate = useNavigate();
  const [drawerOpen, setDrawerOpen] = useState(false);
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

  // Once the first screen is drawn, antd comes in the background: the next page or dialog opens without waiting.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 1500));
    idle(preloadAntd);
  }, []);

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

  const go = (path: string) => {
    if (path !== location.pathname) navigate(path);
    setDrawerOpen(false);
  };

  const menu = (collapsed: boolean) => (
    <SideMenu
      routes={menuRoutes}
      selectedKey={selectedKey}
      collapsed={collapsed}
      onNavigate={(route) => go(route.path)}
    />
  );

  // The inbox ("/") opened first is drawn without antd; every other page inside antd's providers. Once they are there
  // they stay, the inbox back inside them: a page's message ("已同意：…") outlives its navigation back to 待办, and
  // the inbox is not mounted twice when antd arrives in the background.
  const [antdAround, setAntdAround] = useState(location.pathname !== '/');
  if (!antdAround && location.pathname !== '/') setAntdAround(true);
  // The dialogs' antd providers: mounted with the first dialog, then kept.
  const [overlays, setOverlays] = useState(false);
  if (!overlays && (passwordOpen || passwordExpired || secondFactorOpen || secondFactorRequired)) setOverlays(true);

  const page = !antdAround ? (
    <Outlet />
  ) : (
    <WithAntd>
      <Outlet />
    </WithAntd>
  );

  return (
    <div className="app-layout">
      <header className="app-header">
        <div className="app-header-left">
          {isPhone && (
            <button
              type="button"
              className="pl-btn pl-btn-text pl-btn-icon app-header-menu-button"
              aria-label="打开导航菜单"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            >
              <MenuOutlined aria-hidden />
            </button>
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
            <span className="user-name-compact">{user.displayName}</span>
          ) : (
            <div className="app-header-actions">
              <UserSummary user={user} />
              {ofOrganization && (
                <>
                  <button type="button" className="pl-btn" onClick={() => navigate('/notifications/settings')}>
                    通知设置
                  </button>
                  <button type="button" className="pl-btn" onClick={() => navigate('/deputies')}>
                    我的代理
                  </button>
                </>
              )}
              <button type="button" className="pl-btn" onClick={() => setSecondFactorOpen(true)}>
                两步验证
              </button>
              <button type="button" className="pl-btn" onClick={() => setPasswordOpen(true)}>
                修改密码
              </button>
              <LogoutButton />
            </div>
          )}
        </div>
      </header>
      <div className="app-body">
        {!isPhone && <aside className={narrow ? 'app-sider app-sider-collapsed' : 'app-sider'}>{menu(narrow)}</aside>}
        <main className="app-content">
          <Suspense fallback={<PageSpinner />}>{page}</Suspense>
        </main>
      </div>
      {isPhone && (
        <NavDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)}>
          <div className="drawer-user">
            <UserSummary user={user} />
          </div>
          {menu(false)}
          <div className="drawer-footer">
            {ofOrganization && (
              <>
                <button type="button" className="pl-btn pl-btn-block" onClick={() => go('/deputies')}>
                  我的代理
                </button>
                <button type="button" className="pl-btn pl-btn-block" onClick={() => go('/notifications/settings')}>
                  通知设置
                </button>
              </>
            )}
            <button type="button" className="pl-btn pl-btn-block" onClick={() => setSecondFactorOpen(true)}>
              两步验证
            </button>
            <button type="button" className="pl-btn pl-btn-block" onClick={() => setPasswordOpen(true)}>
              修改密码
            </button>
            <LogoutButton block />
          </div>
        </NavDrawer>
      )}
      {overlays && (
        // Stays once mounted: a dialog's message (「密码已修改…」) outlives the dialog that closed.
        <WithAntd fallback={null}>
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
        </WithAntd>
      )}
    </div>
  );
}
