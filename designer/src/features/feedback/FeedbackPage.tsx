import { Alert, Button, Card, Descriptions, Form, Grid, Input, Radio, Result, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { feedbackApi, type FeedbackView } from './feedbackApi';
import './feedback.css';

type Phase =
  | { kind: 'loading' }
  | { kind: 'ready'; view: FeedbackView }
  | { kind: 'done' }
  | { kind: 'closed' }
  | { kind: 'invalid'; message: string };

interface AnswerForm {
  choice?: string;
  note?: string;
}

/** Where a failed request leaves the page: a link that no longer works, or an error to show above the form. */
function phaseOf(error: unknown): Phase | null {
  if (!isApiError(error)) return null;
  if (error.status === 410) return { kind: 'closed' };
  if (error.status === 404) return { kind: 'invalid', message: error.message };
  return null;
}

/**
 * 在线征询: the page a proposer (人大代表 / 政协委员) opens from the link the supervision office sent. No sign-in: the
 * token in the address names the one question it answers, and works once.
 */
export default function FeedbackPage() {
  const { token = '' } = useParams();
  const view = useQuery(['feedback', token], (signal) => feedbackApi.view(token, signal));
  // After an answer (or a refusal that closes the link) the page shows that instead of the question.
  const [settled, setSettled] = useState<Phase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<AnswerForm>();
  // On a phone the labels go above their values, so long labels keep the width they need.
  const narrow = Grid.useBreakpoint().sm === false;
  const phase: Phase =
    settled ??
    (view.error
      ? (phaseOf(view.error) ?? { kind: 'invalid', message: errorMessage(view.error) })
      : view.data && !view.loading
        ? { kind: 'ready', view: view.data }
        : { kind: 'loading' });

  useEffect(() => {
    document.title = '办理情况征询 - 督办';
  }, []);

  const answer = useMutation(
    (values: AnswerForm) =>
      feedbackApi.answer(token, { choice: values.choice ?? '', note: values.note?.trim() || null }),
    {
      onSuccess: () => setSettled({ kind: 'done' }),
      onError: (e) => {
        const next = phaseOf(e);
        if (next) setSettled(next);
        else setError(mapServerErrors(form, e, { fields: ['choice', 'note'] }).join('；') || null);
      },
    },
  );
  const submitting = answer.pending;
  const submit = (values: AnswerForm) => {
    setError(null);
    void answer.run(values);
  };

  return (
    <main className="feedback-page">
      <Card className="feedback-card" variant="borderless">
        <div className="feedback-brand">
          <span className="feedback-logo" aria-hidden="true">
            督
          </span>
          <Typography.Text type="secondary">办理情况征询</Typography.Text>
        </div>
        {phase.kind === 'loading' && (
          <div className="feedback-center">
            <Spin size="large" />
          </div>
        )}
        {phase.kind === 'invalid' && <Result status="warning" title="链接无效或已过期" subTitle={phase.message} />}
        {phase.kind === 'closed' && (
          <Result
            status="info"
            title="征询已结束"
            subTitle="该征询已完成或已结束，感谢您的关注。如有意见，请与督查室联系。"
          />
        )}
        {phase.kind === 'done' && (
          <Result status="success" title="提交成功" subTitle="感谢您对办理工作的评价，您的意见已送达督查室。" />
        )}
        {phase.kind === 'ready' && (
          <>
            <Typography.Title level={1} className="feedback-title">
              {phase.view.itemTitle}
            </Typography.Title>
            {phase.view.respondentName && (
              <Typography.Paragraph>
                尊敬的{phase.view.respondentName}：您提出的建议（提案）已办理答复，请对办理工作作出评价。
              </Typography.Paragraph>
            )}
            <Descriptions
              className="feedback-details"
              size="small"
              column={1}
              layout={narrow ? 'vertical' : 'horizontal'}
              bordered
              items={[
                ...(phase.view.itemNumber ? [{ key: '$number', label: '编号', children: phase.view.itemNumber }] : []),
                ...phase.view.details.map((d) => ({
                  key: d.label,
                  label: d.label,
                  children: <span className="feedback-detail-value">{d.value ?? '—'}</span>,
                })),
              ]}
            />
            {error && <Alert className="feedback-error" type="error" showIcon message={error} role="alert" />}
            <Form form={form} layout="vertical" onFinish={submit} requiredMark disabled={submitting}>
              <Form.Item
                name="choice"
                label={phase.view.question}
                rules={[{ required: true, message: '请选择您的评价' }]}
              >
                <Radio.Group className="feedback-choices">
                  {phase.view.choices.map((c) => (
                    <Radio.Button key={c.value} value={c.value}>
                      {c.label}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
              {phase.view.noteLabel && (
                <Form.Item name="note" label={phase.view.noteLabel} rules={[{ max: 2000, message: '不超过 2000 字' }]}>
                  <Input.TextArea
                    rows={4}
                    maxLength={2000}
                    showCount
                    placeholder="可填写对办理工作的具体意见和建议（选填）"
                  />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
                提交评价
              </Button>
            </Form>
            <Typography.Paragraph type="secondary" className="feedback-note">
              本链接仅可提交一次，有效期至 {new Date(phase.view.expiresAt).toLocaleDateString('zh-CN')}。
            </Typography.Paragraph>
          </>
        )}
      </Card>
    </main>
  );
}
