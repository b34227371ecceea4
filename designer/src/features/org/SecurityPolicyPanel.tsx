import { Alert, App as AntdApp, Button, Checkbox, Spin, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { orgApi } from './orgApi';

/**
 * 安全策略 (administrators): which roles must sign in with a second factor. A person of such a role who has none enrols
 * right after his next sign-in, before anything else (decision 046).
 */
export function SecurityPolicyPanel() {
  const { message } = AntdApp.useApp();
  const policy = useQuery(['security-policy'], (signal) => orgApi.securityPolicy(signal));
  const [chosen, setChosen] = useState<string[] | null>(null);
  const selected = chosen ?? policy.data?.secondFactorRoles ?? [];
  const save = useMutation((roles: string[]) => orgApi.saveSecurityPolicy(roles), {
    onSuccess: (saved) => {
      policy.setData(saved);
      setChosen(null);
      message.success('安全策略已保存');
    },
    onError: (error) => message.error(errorMessage(error)),
  });

  if (policy.error) return <Alert type="error" showIcon message="加载失败" description={errorMessage(policy.error)} />;
  if (!policy.data) return <Spin />;
  return (
    <div className="org-security-policy">
      <Typography.Title level={5}>须使用两步验证的角色</Typography.Title>
      <Typography.Paragraph type="secondary">
        勾选的角色登录时除密码外还须输入手机验证器的动态口令；尚未启用的人员在下次登录后须先启用，才能使用其他功能。未勾选的角色可在“两步验证”中自愿启用。
      </Typography.Paragraph>
      <Checkbox.Group
        aria-label="须使用两步验证的角色"
        options={policy.data.roles.map((r) => ({ label: r, value: r }))}
        value={selected}
        onChange={(values) => setChosen(values)}
      />
      <div style={{ marginTop: 16 }}>
        <Button
          type="primary"
          onClick={() => void save.run(selected)}
          loading={save.pending}
          disabled={chosen === null}
        >
          保存
        </Button>
        {policy.data.updatedAt && (
          <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
            {`上次由 ${policy.data.updatedByName ?? '—'} 修改于 ${new Date(policy.data.updatedAt).toLocaleString('zh-CN')}`}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}
