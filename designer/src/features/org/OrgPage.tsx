import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Spin, Tabs, Typography } from 'antd';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { can } from '../../app/navigation';
import { useCurrentUser } from '../auth/AuthContext';
import { orgApi } from './orgApi';
import { RolesPanel } from './RolesPanel';
import { SecurityPolicyPanel } from './SecurityPolicyPanel';
import { UnitsPanel } from './UnitsPanel';
import { UsersPanel } from './UsersPanel';
import './org.css';

const TABS = ['units', 'users', 'roles', 'security'] as const;
type Tab = (typeof TABS)[number];

/**
 * 组织: the unit tree and the people (管理员), the roles with their permissions and the security policy (安全管理员 —
 * 三员分立, decision 049). Each sees the tabs his permissions open; one person may hold both.
 */
export default function OrgPage() {
  const me = useCurrentUser();
  const people = can(me, 'manageUnitsAndPeople');
  const security = can(me, 'manageRolesAndSecurity');
  const [searchParams, setSearchParams] = useSearchParams();
  const shown: readonly Tab[] = TABS.filter((t) => (t === 'units' ? people : t === 'security' ? security : true));
  const first = shown[0] ?? 'users';
  const tab: Tab = (shown as readonly string[]).includes(searchParams.get('tab') ?? '')
    ? (searchParams.get('tab') as Tab)
    : first;
  const org = useQuery(['org'], (signal) =>
    Promise.all([orgApi.units(signal), orgApi.users(signal), orgApi.roleDefinitions(signal)]),
  );
  const [units, users, roleDefinitions] = org.data ?? [[], [], null];
  const roleNames = roleDefinitions?.roles.map((r) => r.name);
  const { loading, error, reload, setData } = org;

  /** After a change: the new lists, written into what the page holds; resolves to the units (the panels reselect). */
  const load = useCallback(async () => {
    const [u, p, r] = await Promise.all([orgApi.units(), orgApi.users(), orgApi.roleDefinitions()]);
    setData([u, p, r]);
    return u;
  }, [setData]);

  return (
    <section className="org-page" aria-labelledby="org-heading">
      <div className="org-header">
        <Typography.Title level={4} id="org-heading" className="org-heading">
          组织
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loading && units.length > 0}>
          刷新
        </Button>
      </div>
      <div className="org-panel">
        {error ? (
          <Alert
            type="error"
            showIcon
            message="加载失败"
            description={errorMessage(error)}
            className="org-form-alert"
          />
        ) : null}
        <Spin spinning={loading && units.length === 0}>
          <Tabs
            activeKey={tab}
            onChange={(key) => setSearchParams(key === first ? {} : { tab: key }, { replace: true })}
            items={[
              {
                key: 'units',
                label: `单位（${units.length}）`,
                children: <UnitsPanel units={units} users={users} onChanged={load} />,
              },
              {
                key: 'users',
                label: `人员（${users.length}）`,
                children: <UsersPanel users={users} units={units} onChanged={load} roleNames={roleNames} />,
              },
              { key: 'roles', label: '角色与权限', children: <RolesPanel onChanged={load} /> },
              { key: 'security', label: '安全策略', children: <SecurityPolicyPanel /> },
            ].filter((item) => shown.includes(item.key as Tab))}
          />
        </Spin>
      </div>
    </section>
  );
}
