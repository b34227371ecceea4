import { Alert } from 'antd';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { referralsApi } from './referralsApi';

/**
 * On an item this organization started for a superior's 交办 (decision 050): whose 交办 it answers, and — once the
 * superior withdrew it — that it did, and why. The item stays this organization's own to continue or to end.
 */
export function ReferralOriginNotice({ instanceId, reloadToken }: { instanceId: string; reloadToken: number }) {
  const { data } = useQuery(['referral-origin', instanceId, reloadToken], (signal) =>
    referralsApi.origin(instanceId, signal),
  );
  return (
    <>
      {(data ?? []).map((o) =>
        o.status === 'withdrawn' ? (
          <Alert
            key={o.id}
            className="page-section"
            type="warning"
            showIcon
            data-testid="referral-origin"
            message={`${o.superiorOrganizationName}已撤回交办${o.withdrawnAt ? `（${formatDateTime(o.withdrawnAt)}）` : ''}`}
            description={`撤回原因：${o.withdrawnReason ?? ''}。本事项是否继续办理或撤销，由本单位决定；不再向上级报送办结报告。`}
          />
        ) : (
          <Alert
            key={o.id}
            className="page-section"
            type="info"
            showIcon
            data-testid="referral-origin"
            message={`本事项承办${o.superiorOrganizationName}交办：${o.title}`}
            description={
              [o.requirements, o.dueAt && `时限 ${formatDateTime(o.dueAt)}`].filter(Boolean).join('；') || undefined
            }
          />
        ),
      )}
    </>
  );
}
