import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Spin, Tabs, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { orgApi, ROLE_INFO, type OrgUser } from './orgApi';
import { SecurityPolicyPanel } from './SecurityPolicyPanel';
import { UnitsPanel } from './UnitsPanel';
import { UsersPanel } from './UsersPanel';
import './org.css';

const TABS = ['units', 'users', 'roles', 'security'] as const;
type Tab = (typeof TABS)[number];

function RolesPanel({ users }: { users: OrgUser[] }) {
  return (
    <div className="org-roles">
      {ROLE_INFO.map((role) => {
        const holders = users.filter((u) => u.isActive && u.roles.includes(role.name));
        return (
          <Card
            key={role.name}
            size="small"
            title={role.name}
            extra={<Tag bordered={false}>{holders.length} 人</Tag>}
            className="org-role-card"
          >
            <p className="org-role-summary">{role.summary}</p>
            <ul className="org-role-duties">
              {role.duties.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
            {holders.length > 0 && (
              <Typography.Paragraph type="secondary" className="org-role-holders" ellipsis={{ rows: 2 }}>
                {holders.map((u) => u.displayName).join('、')}
              </Typography.Paragraph>
            )}
          </Card>
        );
      })}
      <Typography.Paragraph type="secondary" className="org-roles-note">
        {
          '角色是平台固定的四种；在“人员”中为每个人勾选角色，一人可有多个角色。承办单位联络员看到的是本单位参与的事项，督查员、领导和管理员看到全部事项。'
        }
      </Typography.Paragraph>
    </div>
  );
}

/** 组织 (administrators): the unit tree, the people, and the four roles. */
export default function OrgPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(searchParams.get('tab') ?? '')
    ? (searchParams.get('tab') as Tab)
    : 'units';
  const org = useQuery(['org'], (signal) => Promise.all([orgApi.units(signal), orgApi.users(signal)]));
  const [units, users] = org.data ?? [[], []];
  const { loading, error, reload, setData } = org;

  /** After a change: the new lists, written into what the page holds; resolves to the units (the panels reselect). */
  const load = useCallback(async () => {
    const [u, p] = await Promise.all([orgApi.units(), orgApi.users()]);
    setData([u, p]);
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
            onChange={(key) => setSearchParams(key === 'units' ? {} : { tab: key }, { replace: true })}
            items={[
              {
                key: 'units',
                label: `单位（${units.length}）`,
                children: <UnitsPanel units={units} users={users} onChanged={load} />,
              },
              {
                key: 'users',
                label: `人员（${users.length}）`,
                children: <UsersPanel users={users} units={units} onChanged={load} />,
              },
              { key: 'roles', label: '角色', children: <RolesPanel users={users} /> },
              { key: 'security', label: '安全策略', children: <SecurityPolicyPanel /> },
            ]}
          />
        </Spin>
      </div>
    </section>
  );
}
