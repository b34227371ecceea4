import { Alert, App as AntdApp, Button, Card, Space, Spin, Switch, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { formatDateTime } from '../../shared/format';
import { settingsApi, type SupervisionSettings } from './settingsApi';

/** 延期设置: whether units may still ask for an extension after their deadline has passed (organization-wide). */
export function ExtensionTab({ editable }: { editable: boolean }) {
  const { message } = AntdApp.useApp();
  const loaded = useQuery(['supervision-settings'], (signal) => settingsApi.supervision(signal));
  const [saved, setSaved] = useState<SupervisionSettings | null>(null);
  const settings = saved ?? loaded.data ?? null;
  // The switch as the user set it, until saved; else as the server has it.
  const [choice, setAllowLate] = useState<boolean | null>(null);
  const allowLate = choice ?? settings?.allowLateExtensionRequests ?? false;
  const saving = useMutation((value: boolean) => settingsApi.saveSupervision(value), {
    onSuccess: (s) => {
      setSaved(s);
      setAllowLate(null);
      message.success('延期设置已保存');
    },
  });
  const busy = saving.pending;
  const error = saving.error ?? loaded.error ?? null;

  if (loaded.error && !settings)
    return <Alert type="error" showIcon message={`延期设置加载失败：${errorMessage(loaded.error)}`} />;
  if (!settings) return <Spin />;

  const save = () => void saving.run(allowLate);

  return (
    <div className="extension-tab" data-testid="extension-tab">
      {!editable && <Alert className="page-alert" type="info" showIcon message="延期设置由管理员修改，您可以查看。" />}
      {error !== null && (
        <Alert className="page-alert" type="error" showIcon role="alert" message={errorMessage(error)} />
      )}
      <Card size="small" title="逾期后申请延期">
        <Space align="start" size={12}>
          <Switch
            id="allow-late"
            checked={allowLate}
            onChange={setAllowLate}
            disabled={!editable || busy}
            aria-describedby="allow-late-help"
          />
          <div>
            <label htmlFor="allow-late">允许承办单位在期限届满后仍申请延期</label>
            <Typography.Paragraph id="allow-late-help" type="secondary" className="settings-help">
              关闭时（默认），承办单位须在办理期限届满前申请延期，逾期后的申请将被拒绝；开启后，逾期事项仍可申请，由督查部门审批。
            </Typography.Paragraph>
          </div>
        </Space>
        {settings.updatedAt && (
          <Typography.Paragraph type="secondary" className="settings-updated">
            {formatDateTime(settings.updatedAt)} {settings.updatedByName} 修改
          </Typography.Paragraph>
        )}
        {editable && (
          <Button
            type="primary"
            onClick={save}
            loading={busy}
            disabled={allowLate === settings.allowLateExtensionRequests}
          >
            保存
          </Button>
        )}
      </Card>
      <Card size="small" title="审批环节" className="settings-card">
        <Typography.Paragraph>
          延期申请默认由督查部门审核；是否还需领导审批，按流程分别设置：在
          {editable ? <Link to="/designer"> 流程设计 </Link> : ' 流程设计 '}
          中打开流程，在“流程设置 → 延期申请”中选择审批环节（督查部门审核、领导审批）。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
