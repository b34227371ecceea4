import { Tabs, Typography } from 'antd';
import { can } from '../../app/navigation';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/AuthContext';
import { BulletinsTab } from './BulletinsTab';
import { ExtensionTab } from './ExtensionTab';
import { LadderTab } from './LadderTab';
import { RulesTab } from './RulesTab';
import { tabOf, yearOf, type SettingsTab } from './settingsModel';
import './settings.css';

/**
 * 督查设置: the organization's 催办阶梯, 延期设置 and 考核规则 (administrators change them; 督查员 read them), and the
 * 通报批评 register (督查员 issue and revoke; administrators read). Tab and year live in the URL.
 */
export default function SettingsPage() {
  const user = useCurrentUser();
  const isAdmin = can(user, 'configureSupervision');
  const isSupervisor = can(user, 'score');
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('tab'));
  const year = yearOf(params.get('year'), new Date().getFullYear());

  useEffect(() => {
    document.title = '督查设置 - 督办';
  }, []);

  function go(next: { tab?: SettingsTab; year?: number }) {
    const p = new URLSearchParams(params);
    if (next.tab) p.set('tab', next.tab);
    if (next.year) p.set('year', String(next.year));
    setParams(p, { replace: true });
  }

  return (
    <section className="settings-page" aria-labelledby="settings-heading">
      <Typography.Title level={4} id="settings-heading" className="settings-title">
        督查设置
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => go({ tab: key as SettingsTab })}
        destroyOnHidden
        items={[
          { key: 'ladder', label: '催办阶梯', children: <LadderTab editable={isAdmin} /> },
          { key: 'extensions', label: '延期设置', children: <ExtensionTab editable={isAdmin} /> },
          {
            key: 'rules',
            label: '考核规则',
            children: <RulesTab editable={isAdmin} year={year} onYear={(y) => go({ year: y })} />,
          },
          {
            key: 'bulletins',
            label: '通报批评',
            children: <BulletinsTab canIssue={isSupervisor} year={year} onYear={(y) => go({ year: y })} />,
          },
        ]}
      />
    </section>
  );
}
