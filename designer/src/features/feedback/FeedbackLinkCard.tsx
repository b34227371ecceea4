import { CopyOutlined, LinkOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { feedbackApi, feedbackLinksApi, type FeedbackLink } from './feedbackApi';

export interface FeedbackLinkCardProps {
  /** The open task of a step that may be answered from outside (its definition has a publicFeedback input). */
  taskId: string;
}

/**
 * 在线征询链接, for the supervision office on a task page: makes a link the proposer opens without an account. Renders
 * nothing when the step does not take answers from outside or the user may not make links, so a task page can mount
 * it on every task.
 */
export function FeedbackLinkCard({ taskId }: FeedbackLinkCardProps) {
  const available = !!useQuery(['feedback-link-availability', taskId], (signal) =>
    feedbackLinksApi.availability(taskId, signal),
  ).data?.available;
  const [made, setMade] = useState<{ taskId: string; link: FeedbackLink } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const link = made?.taskId === taskId ? made.link : null;
  const creating = useMutation(() => feedbackApi.createLink(taskId), {
    onSuccess: (created) => setMade({ taskId, link: created }),
    onError: (e) => setError(errorMessage(e)),
  });
  const busy = creating.pending;

  if (!available) return null;

  const url = link ? `${window.location.origin}${link.path}` : '';

  function create() {
    setError(null);
    setCopied(false);
    void creating.run();
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError('无法写入剪贴板，请手动复制链接');
    }
  }

  return (
    <Card className="page-section" size="small" title="在线征询" data-testid="feedback-link">
      <Typography.Paragraph type="secondary">
        生成链接发给提出人（短信、微信或邮件），提出人无需账号即可在线评价；链接只能提交一次，提交后本环节自动办结。也可直接在上方表单中代为登记。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} />}
      {link ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space.Compact style={{ width: '100%' }}>
            <Input readOnly value={url} aria-label="征询链接" />
            <Button icon={<CopyOutlined />} onClick={copy}>
              {copied ? '已复制' : '复制'}
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">
            有效期至 {new Date(link.expiresAt).toLocaleString('zh-CN')}
          </Typography.Text>
        </Space>
      ) : (
        <Button icon={<LinkOutlined />} loading={busy} onClick={create}>
          生成征询链接
        </Button>
      )}
    </Card>
  );
}
