import { App as AntdApp, Button, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { supervisionApi, type ItemChases, type ScoreEntryView } from './supervisionApi';

/** 专人: who follows the item up (rungs meant for the item's 专人 go to them); the office names or takes back. */
export function ItemOwnerLine({
  instanceId,
  chases,
  onChanged,
}: {
  instanceId: string;
  chases: ItemChases;
  onChanged: () => void;
}) {
  const { message } = AntdApp.useApp();
  const [saving, setSaving] = useState(false);
  const owner = chases.owner;
  if (!owner && !chases.canNameOwner) return null;
  const name = async (userId: string | null) => {
    setSaving(true);
    try {
      await supervisionApi.nameOwner(instanceId, userId);
      message.success(userId ? '已指定专人' : '已撤销专人');
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="chase-owner" data-testid="item-owner">
      <Typography.Text strong>专人：</Typography.Text>
      {chases.canNameOwner ? (
        <Select
          aria-label="专人"
          size="small"
          style={{ minWidth: 200 }}
          loading={saving}
          value={owner?.userId ?? ''}
          options={[
            { value: '', label: '未指定（按催办阶梯的办理角色）' },
            ...(chases.people ?? []).map((p) => ({
              value: p.id,
              label: `${p.displayName}${p.unitName ? `（${p.unitName}）` : ''}`,
            })),
          ]}
          onChange={(v: string) => void name(v || null)}
        />
      ) : (
        <Typography.Text>{owner?.userName}</Typography.Text>
      )}
      {owner && (
        <Typography.Text type="secondary" className="chase-owner-note">
          {owner.namedByName} 于 {formatDateTime(owner.namedAt)} 指定；由专人办理的催办交给此人
        </Typography.Text>
      )}
    </div>
  );
}

/** 考核记录: score entries the office records by hand for a handling unit of the item; revoked ones stay listed. */
export function ScoreEntriesSection({
  instanceId,
  units,
}: {
  instanceId: string;
  units: { value: string; label: string }[];
}) {
  const { message } = AntdApp.useApp();
  const [token, setToken] = useState(0);
  const { data } = useQuery(['score-entries', instanceId, token], (signal) =>
    supervisionApi.scoreEntries(instanceId, signal),
  );
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<ScoreEntryView | null>(null);
  const [form] = Form.useForm<{ unitId: string; eventKey: string; note: string }>();
  const [revokeForm] = Form.useForm<{ reason: string }>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (!data || (data.entries.length === 0 && !data.canRecord)) return null;

  const submit = async () => {
    const values = form.getFieldsValue();
    try {
      await supervisionApi.recordScoreEntry(instanceId, {
        unitId: values.unitId ?? '',
        eventKey: values.eventKey ?? '',
        note: values.note ?? '',
      });
      message.success('已登记考核记录');
      setAdding(false);
      setErrors({});
      form.resetFields();
      setToken((t) => t + 1);
    } catch (e) {
      if (e instanceof ApiError && e.hasFieldErrors)
        setErrors({
          unitId: e.errorsFor('unitId')[0] ?? '',
          eventKey: e.errorsFor('eventKey')[0] ?? '',
          note: e.errorsFor('note')[0] ?? '',
        });
      else message.error(errorMessage(e));
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await supervisionApi.revokeScoreEntry(revoking.id, revokeForm.getFieldValue('reason') ?? '');
      message.success('已撤销考核记录');
      setRevoking(null);
      revokeForm.resetFields();
      setToken((t) => t + 1);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <section className="score-entries" aria-label="考核记录" data-testid="score-entries">
      <Space className="score-entries-head">
        <Typography.Text strong>考核记录</Typography.Text>
        {data.canRecord && (
          <Button size="small" onClick={() => setAdding(true)}>
            登记考核记录
          </Button>
        )}
      </Space>
      {data.entries.length === 0 ? (
        <Typography.Paragraph type="secondary">没有手动登记的考核记录。</Typography.Paragraph>
      ) : (
        <ul className="chase-list">
          {data.entries.map((e) => (
            <li key={e.id} className={e.revoked ? 'score-entry revoked' : 'score-entry'}>
              <Space wrap>
                <Tag color={e.adds ? 'green' : 'orange'}>{e.adds ? '加分' : '扣分'}</Tag>
                <Typography.Text delete={e.revoked}>
                  {e.unitName}：{e.eventName}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {e.createdByName} {formatDateTime(e.at)}
                </Typography.Text>
                {e.revoked && <Tag>已撤销：{e.revokeReason}</Tag>}
                {data.canRecord && !e.revoked && (
                  <Button size="small" type="link" onClick={() => setRevoking(e)}>
                    撤销
                  </Button>
                )}
              </Space>
              {e.note && <div className="score-entry-note">{e.note}</div>}
            </li>
          ))}
        </ul>
      )}
      <Modal
        title="登记考核记录"
        open={adding}
        okText="登记"
        cancelText="取消"
        onOk={() => void submit()}
        onCancel={() => setAdding(false)}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            label="单位"
            name="unitId"
            validateStatus={errors.unitId ? 'error' : undefined}
            help={errors.unitId}
          >
            <Select aria-label="单位" options={units} />
          </Form.Item>
          <Form.Item
            label="考核事件"
            name="eventKey"
            validateStatus={errors.eventKey ? 'error' : undefined}
            help={errors.eventKey}
          >
            <Select
              aria-label="考核事件"
              options={data.events.map((ev) => ({
                value: ev.key,
                label: `${ev.name}（${ev.adds ? '加分' : '扣分'}）`,
              }))}
            />
          </Form.Item>
          <Form.Item label="事由" name="note" validateStatus={errors.note ? 'error' : undefined} help={errors.note}>
            <Input.TextArea aria-label="事由" rows={3} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title="撤销考核记录"
        open={!!revoking}
        okText="撤销"
        cancelText="取消"
        onOk={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <Typography.Paragraph>撤销后该记录保留，但不再计入考核。</Typography.Paragraph>
        <Form form={revokeForm} layout="vertical">
          <Form.Item label="撤销理由" name="reason">
            <Input.TextArea aria-label="撤销理由" rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
