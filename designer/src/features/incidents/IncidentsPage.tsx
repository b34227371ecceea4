import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import { useDirectory } from '../../shared/forms/directory';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { conveniencesApi, type IncidentView } from '../taskConveniences/conveniencesApi';
import './incidents.css';

type Dialog =
  | { kind: 'assign'; incident: IncidentView }
  | { kind: 'transfer'; incident: IncidentView; taskId: string; taskName: string }
  | { kind: 'cancel'; incident: IncidentView };

/**
 * 运行异常 (administrators): every item stopped on an incident, with its cause as the engine gave it, a sentence on what
 * to do, and the ways out — 重试, 转办 (the stuck step, or an open task, to a named person), 迁移到最新版本, 取消.
 */
export default function IncidentsPage() {
  const { message } = AntdApp.useApp();
  const [reloadToken, setReloadToken] = useState(0);
  const { data, loading, error } = useQuery(['incidents', reloadToken], (signal) => conveniencesApi.incidents(signal));
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ toUserId?: string; reason?: string }>();
  const { directory } = useDirectory(dialog !== null && dialog.kind !== 'cancel');
  const reload = () => setReloadToken((n) => n + 1);

  /**
   * Runs a way out and says how it went. `done` is the success note, or — for 重试, which answers the same whether the
   * step ran or stopped again — a check that asks the list again and tells which.
   */
  async function act(key: string, work: () => Promise<unknown>, done: string | (() => Promise<void>)) {
    setBusy(key);
    try {
      await work();
      if (typeof done === 'string') message.success(done);
      else await done();
      setDialog(null);
      reload();
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        message.warning(`${e.message}。列表已刷新。`, 5);
        setDialog(null);
        reload();
      } else if (isApiError(e) && e.status === 400) {
        form.setFields(
          Object.entries(e.fieldErrors).map(([name, errors]) => ({
            name: name === 'toUserId' ? 'toUserId' : 'reason',
            errors,
          })),
        );
      } else message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function confirmDialog() {
    if (!dialog) return;
    // A field left empty: the form shows why beside it; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const id = dialog.incident.instanceId;
    if (dialog.kind === 'assign')
      await act('dialog', () => conveniencesApi.assign(id, values.toUserId!), '已转办，事项继续办理');
    else if (dialog.kind === 'transfer')
      await act('dialog', () => conveniencesApi.transfer(dialog.taskId, values.toUserId!), '已转办');
    else await act('dialog', () => conveniencesApi.cancel(id, values.reason!.trim()), '事项已取消');
  }

  const userOptions = directory.users.map((u) => ({
    value: u.id,
    label: `${u.displayName}${u.unitName ? `（${u.unitName}）` : ''}`,
  }));

  return (
    <section className="incidents-page" aria-labelledby="incidents-heading">
      <div className="incidents-header">
        <Typography.Title level={4} id="incidents-heading">
          运行异常
        </Typography.Title>
        <Button icon={<ReloadOutlined aria-hidden />} onClick={reload} loading={loading && !!data}>
          刷新
        </Button>
      </div>
      <Typography.Paragraph type="secondary">
        以下事项因流程设置或人员变动停在某一环节，不能继续流转。请按提示处理：重试、转办给指定人员、迁移到流程的最新版本，或取消事项。
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon message="加载失败" description={errorMessage(error)} /> : null}
      {!data && loading ? (
        <Spin />
      ) : (data ?? []).length === 0 ? (
        <Empty description="没有运行异常的事项" />
      ) : (
        (data ?? []).map((incident) => (
          <Card
            key={incident.instanceId}
            className="incident-card"
            size="small"
            data-testid="incident"
            title={
              <Space wrap>
                {incident.number && <Tag color="red">{incident.number}</Tag>}
                <Link to={`/items/${incident.instanceId}`}>{incident.title}</Link>
                <Tag>
                  {incident.definitionName} 第 {incident.version} 版
                </Tag>
              </Space>
            }
          >
            <dl className="incident-facts">
              <div>
                <dt>停在环节</dt>
                <dd>{incident.activityName ?? '—'}</dd>
              </div>
              <div>
                <dt>发生时间</dt>
                <dd>{formatDateTime(incident.at)}</dd>
              </div>
              <div>
                <dt>原因</dt>
                <dd className="incident-cause">{incident.cause}</dd>
              </div>
              <div>
                <dt>处理建议</dt>
                <dd>{incident.advice}</dd>
              </div>
            </dl>
            <Space wrap>
              <Button
                type="primary"
                loading={busy === `retry-${incident.instanceId}`}
                onClick={() =>
                  act(
                    `retry-${incident.instanceId}`,
                    () => conveniencesApi.retry(incident.instanceId),
                    async () => {
                      const again = (await conveniencesApi.incidents()).find(
                        (i) => i.instanceId === incident.instanceId,
                      );
                      if (again) message.warning(`已重试，但事项仍未能继续：${again.cause}`, 6);
                      else message.success('已重试，事项继续办理');
                    },
                  )
                }
              >
                重试
              </Button>
              {incident.canAssign && (
                <Button
                  onClick={() => {
                    form.resetFields();
                    setDialog({ kind: 'assign', incident });
                  }}
                >
                  转办
                </Button>
              )}
              {incident.latestVersion != null && (
                <Button
                  loading={busy === `migrate-${incident.instanceId}`}
                  onClick={() =>
                    act(
                      `migrate-${incident.instanceId}`,
                      () => conveniencesApi.migrate(incident.instanceId),
                      `已迁移到第 ${incident.latestVersion} 版`,
                    )
                  }
                >
                  迁移到最新版本（第 {incident.latestVersion} 版）
                </Button>
              )}
              {incident.openTasks.map((t) => (
                <Button
                  key={t.id}
                  onClick={() => {
                    form.resetFields();
                    setDialog({ kind: 'transfer', incident, taskId: t.id, taskName: t.name });
                  }}
                >
                  转办「{t.name}」{t.assigneeName ? `（${t.assigneeName}）` : ''}
                </Button>
              ))}
              <Button
                danger
                onClick={() => {
                  form.resetFields();
                  setDialog({ kind: 'cancel', incident });
                }}
              >
                取消事项
              </Button>
            </Space>
          </Card>
        ))
      )}
      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'cancel'
            ? '取消事项'
            : dialog?.kind === 'transfer'
              ? `转办「${dialog.taskName}」`
              : `转办「${dialog?.incident.activityName ?? ''}」`
        }
        okText={dialog?.kind === 'cancel' ? '确认取消' : '确认转办'}
        cancelText="关闭"
        okButtonProps={{ loading: busy === 'dialog', danger: dialog?.kind === 'cancel' }}
        onOk={confirmDialog}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {dialog?.kind === 'cancel' ? (
            <Form.Item
              name="reason"
              label="取消原因"
              rules={[{ required: true, whitespace: true, message: '请填写取消原因' }]}
            >
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
            </Form.Item>
          ) : (
            <Form.Item name="toUserId" label="转办给" rules={[{ required: true, message: '请选择转办对象' }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={userOptions}
                placeholder="选择人员"
                aria-label="转办给"
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </section>
  );
}
