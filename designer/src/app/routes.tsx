import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  DashboardOutlined,
  FundProjectionScreenOutlined,
  AlertOutlined,
  ClusterOutlined,
  FileTextOutlined,
  FileWordOutlined,
  FormOutlined,
  InboxOutlined,
  PlusCircleOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TableOutlined,
  TeamOutlined,
  TrophyOutlined,
  WarningOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { ROLES } from '../api/types';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { RoleRestricted } from './navigation';

/**
 * Screens inside the signed-in layout. The side menu and the router are both
 * built from this list, so a new screen is added here once (with its roles)
 * and gets a menu entry, a role guard and its own lazily loaded chunk.
 */
export interface AppRoute extends RoleRestricted {
  key: string;
  /** Absolute path; "/" is the index route. May contain params for non-menu routes. */
  path: string;
  /** Menu and document title. */
  label: string;
  icon?: ReactNode;
  /** Hidden routes (e.g. detail pages) are routable but get no menu entry. */
  hideInMenu?: boolean;
  component: LazyExoticComponent<ComponentType>;
}

export const appRoutes: readonly AppRoute[] = [
  {
    // The platform administrator's one screen; he belongs to no organization (decision 035).
    key: 'platform',
    path: '/platform',
    label: '组织管理',
    icon: <ClusterOutlined />,
    roles: [ROLES.platform],
    component: lazy(() => import('../features/platform/PlatformPage')),
  },
  {
    // The audit log: the organization's 审计员, and the platform administrator for the platform's own rows (decision 044).
    key: 'audit',
    path: '/audit',
    label: '安全审计',
    icon: <AuditOutlined />,
    roles: [ROLES.platform],
    permissions: ['readAuditLog'],
    component: lazy(() => import('../features/audit/AuditPage')),
  },
  {
    key: 'inbox',
    path: '/',
    label: '待办',
    icon: <InboxOutlined />,
    // A leader's first stop in a session is his 驾驶舱; 待办 stays one click away (decision 041).
    component: lazy(() => import('../features/dashboard/HomePage')),
  },
  {
    key: 'start',
    path: '/start',
    label: '发起',
    icon: <PlusCircleOutlined />,
    component: lazy(() => import('../features/start/StartPage')),
  },
  {
    // Every signed-in user: the ledger lists only the items they may see (a liaison: their unit's).
    key: 'ledger',
    path: '/ledger',
    label: '台账',
    icon: <TableOutlined />,
    component: lazy(() => import('../features/ledger/LedgerPage')),
  },
  {
    // Everyone's figures over the items his ledger shows him (a liaison: his unit's); a leader's home.
    key: 'cockpit',
    path: '/cockpit',
    label: '驾驶舱',
    icon: <DashboardOutlined />,
    component: lazy(() => import('../features/dashboard/DashboardPage')),
  },
  {
    key: 'cockpit-screen',
    path: '/cockpit/screen',
    label: '大屏',
    hideInMenu: true,
    component: lazy(() => import('../features/dashboard/ScreenPage')),
  },
  {
    // 挂图作战 (001 第二十条): each decision breakdown's tasks on a time line.
    key: 'battle',
    path: '/battle',
    label: '挂图作战',
    icon: <FundProjectionScreenOutlined />,
    component: lazy(() => import('../features/dashboard/BattleMapPage')),
  },
  {
    // The office's internal early warning; the server answers others 403.
    key: 'warnings',
    path: '/warnings',
    label: '预警',
    icon: <AlertOutlined />,
    permissions: ['supervise'],
    component: lazy(() => import('../features/dashboard/WarningsPage')),
  },
  {
    // 上级交办 (decision 050): what a superior organization assigned, started and reported by this office.
    key: 'referrals',
    path: '/referrals',
    label: '上级交办',
    icon: <SendOutlined />,
    permissions: ['supervise'],
    component: lazy(() => import('../features/referrals/IncomingReferralsPage')),
  },
  {
    // Supervisors, leaders and administrators see the ranking; a unit's people see their own unit's score.
    key: 'scores',
    path: '/scores',
    label: '考核',
    icon: <TrophyOutlined />,
    component: lazy(() => import('../features/scores/ScoresPage')),
  },
  {
    // 督查专报 from the ledger for a period, by hand or on a schedule (decision 048).
    key: 'reports',
    path: '/reports',
    label: '督查专报',
    icon: <FileTextOutlined />,
    permissions: ['supervise'],
    component: lazy(() => import('../features/reports/ReportsPage')),
  },
  {
    // 催办阶梯, 延期设置, 考核规则 (administrators change them) and 通报批评 (督查员 issue them); others read.
    key: 'settings',
    path: '/settings',
    label: '督查设置',
    icon: <SettingOutlined />,
    permissions: ['configureSupervision', 'supervise', 'score'],
    component: lazy(() => import('../features/settings/SettingsPage')),
  },
  {
    key: 'schedules',
    path: '/schedules',
    label: '定期任务',
    icon: <ScheduleOutlined />,
    permissions: ['designProcedures'],
    component: lazy(() => import('../features/schedules/SchedulesPage')),
  },
  {
    key: 'designer',
    path: '/designer',
    label: '流程设计',
    icon: <ApartmentOutlined />,
    permissions: ['designProcedures'],
    component: lazy(() => import('../features/designer/ProcedureListPage')),
  },
  {
    key: 'designer-edit',
    path: '/designer/:definitionId',
    label: '流程设计',
    hideInMenu: true,
    permissions: ['designProcedures'],
    component: lazy(() => import('../features/designer/DesignerEditorPage')),
  },
  {
    key: 'forms',
    path: '/forms',
    label: '表单设计',
    icon: <FormOutlined />,
    permissions: ['designProcedures'],
    component: lazy(() => import('../features/formDesigner/FormDesignerPage')),
  },
  {
    key: 'document-templates',
    path: '/document-templates',
    label: '文书模板',
    icon: <FileWordOutlined />,
    permissions: ['designProcedures'],
    component: lazy(() => import('../features/documents/DocumentTemplatesPage')),
  },
  {
    key: 'calendar',
    path: '/calendar',
    label: '工作日历',
    icon: <CalendarOutlined />,
    permissions: ['configureSupervision'],
    component: lazy(() => import('../features/calendar/CalendarPage')),
  },
  {
    key: 'org',
    path: '/org',
    label: '组织',
    icon: <TeamOutlined />,
    permissions: ['manageUnitsAndPeople', 'manageRolesAndSecurity'],
    component: lazy(() => import('../features/org/OrgPage')),
  },
  {
    key: 'incidents',
    path: '/incidents',
    label: '运行异常',
    icon: <WarningOutlined />,
    permissions: ['designProcedures'],
    component: lazy(() => import('../features/incidents/IncidentsPage')),
  },
  {
    key: 'task',
    path: '/tasks/:id',
    label: '办理',
    hideInMenu: true,
    component: lazy(() => import('../features/task/TaskPage')),
  },
  {
    key: 'item',
    path: '/items/:id',
    label: '事项详情',
    hideInMenu: true,
    component: lazy(() => import('../features/item/ItemPage')),
  },
  {
    // Reached from the header's 「我的代理」 (docs/decisions/031).
    key: 'deputies',
    path: '/deputies',
    label: '我的代理',
    hideInMenu: true,
    component: lazy(() => import('../features/deputies/DeputiesPage')),
  },
  {
    // The bell's 「查看全部」 (docs/decisions/040).
    key: 'notifications',
    path: '/notifications',
    label: '通知',
    hideInMenu: true,
    component: lazy(() => import('../features/notifications/NotificationsPage')),
  },
  {
    key: 'notificationSettings',
    path: '/notifications/settings',
    label: '通知设置',
    hideInMenu: true,
    component: lazy(() => import('../features/notifications/NotificationSettingsPage')),
  },
];
