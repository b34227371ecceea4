import { Alert } from 'antd';
import { errorMessage } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { referralsApi } from './referralsApi';

/** The superior's notice above the start form while the office starts an incoming 上级交办 (decision 050). */
export function ReferralNotice({ referralId }: { referralId: string }) {
  const { data, error } = useQuery(['referral', referralId], (signal) => referralsApi.get(referralId, signal));
  if (error) return <Alert className="page-alert" type="error" showIcon message={errorMessage(error)} />;
  if (!data) return null;
  return (
    <Alert
      className="page-alert"
      type="info"
      showIcon
      data-testid="referral-notice"
      message={`上级交办：${data.title}（${data.superiorOrganizationName}）`}
      description={
        <>
          {data.requirements && <div>办理要求：{data.requirements}</div>}
          {data.dueAt && <div>时限：{formatDateTime(data.dueAt)}</div>}
          <div>请选择本单位的流程并填写登记表，提交后即启动办理。</div>
        </>
      }
    />
  );
}
