import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useQuery } from '../../shared/useQuery';
import { documentsApi } from '../documents/documentsApi';
import {
  MAX_RUNGS,
  moveRung,
  newRung,
  TRIGGER_KINDS,
  triggerText,
  type LadderErrors,
  type RungDraft,
  type RungField,
} from './ladderModel';

function Field({ label, error, children, id }: { label: string; error?: string; children: ReactNode; id: string }) {
  return (
    <Form.Item
      label={label}
      htmlFor={id}
      validateStatus={error ? 'error' : undefined}
      help={error}
      className="ladder-field"
    >
      {children}
    </Form.Item>
  );
}

export interface LadderRungsEditorProps {
  drafts: RungDraft[];
  setDrafts: (update: (list: RungDraft[]) => RungDraft[]) => void;
  errors: LadderErrors;
  update: (uid: string, patch: Partial<RungDraft>, field?: RungField) => void;
  actors: readonly string[];
  /** People a rung may name instead of its role (督查设置's ladder); without them the choice is not offered. */
  people?: readonly { id: string; displayName: string; unitName?: string | null }[];
  recordOptions: { value: string; label: string }[];
  scoreOptions: { value: string; label: string }[];
  editable: boolean;
  busy?: boolean;
}

/**
 * The rungs of a chasing ladder, one card each — name, trigger, who acts, what is recorded, what the unit is told, the
 * score event. 督查设置's 催办阶梯 and a procedure's own ladder in 流程设置 both edit their rungs with it.
 */
export function LadderRungsEditor({
  drafts,
  setDrafts,
  errors,
  update,
  actors,
  people,
  recordOptions,
  scoreOptions,
  editable,
  busy = false,
}: LadderRungsEditorProps) {
  // 生成文书 (decision 047): the organization's document templates, by name.
  const templates = useQuery(['document-templates'], (signal) => documentsApi.templates(signal));
  const documentOptions = [
    { value: '', label: '不生成文书' },
    ...(templates.data?.templates ?? []).map((t) => ({ value: t.key, label: t.name })),
  ];
  return (
    <>
      <Form layout="vertical" component="div" disabled={!editable || busy}>
        <ol className="ladder-rungs">
          {drafts.map((d, index) => {
            const e = errors.rungs[d.uid] ?? {};
            const id = (f: string) => `rung-${d.uid}-${f}`;
            return (
              <li key={d.uid} className="ladder-rung">
                <Card
                  size="small"
                  title={
                    <Space size={8} wrap>
                      <span className="ladder-rung-index">第 {index + 1} 级</span>
                      <span>{d.name || '（未命名）'}</span>
                      <Typography.Text type="secondary" className="ladder-rung-when">
                        {triggerText(d)}
                      </Typography.Text>
                    </Space>
                  }
                  extra={
                    editable && (
                      <Space size={0}>
                        <Button
                          type="text"
                          size="small"
                          icon={<ArrowUpOutlined />}
                          aria-label={`上移第 ${index + 1} 级`}
                          disabled={index === 0}
                          onClick={() => setDrafts((list) => moveRung(list, index, -1))}
                        />
                        <Button
                          type="text"
                          size="small"
                          icon={<ArrowDownOutlined />}
                          aria-label={`下移第 ${index + 1} 级`}
                          disabled={index === drafts.length - 1}
                          onClick={() => setDrafts((list) => moveRung(list, index, 1))}
                        />
                        <Button
                          type="text"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={`删除第 ${index + 1} 级`}
                          disabled={drafts.length <= 1}
                          onClick={() => setDrafts((list) => list.filter((x) => x.uid !== d.uid))}
                        />
                      </Space>
                    )
                  }
                >
                  <div className="ladder-grid">
                    <Field label="名称" error={e.name} id={id('name')}>
                      <Input
                        id={id('name')}
                        value={d.name}
                        maxLength={50}
                        placeholder="如：电话催办"
                        onChange={(ev) => update(d.uid, { name: ev.target.value }, 'name')}
                      />
                    </Field>
                    <Field label="触发方式" id={id('trigger')}>
                      <Select
                        id={id('trigger')}
                        value={d.triggerKind}
                        options={TRIGGER_KINDS.map((k) => ({ ...k }))}
                        onChange={(v: string) => update(d.uid, { triggerKind: v }, 'days')}
                      />
                    </Field>
                    {d.triggerKind !== 'manual' && (
                      <Field
                        label={d.triggerKind === 'overdue' ? '逾期天数' : '提前天数'}
                        error={e.days}
                        id={id('days')}
                      >
                        <Space.Compact block>
                          <InputNumber
                            id={id('days')}
                            min={0}
                            max={365}
                            precision={0}
                            value={d.days}
                            onChange={(v) => update(d.uid, { days: v }, 'days')}
                            style={{ width: '50%' }}
                          />
                          <Select
                            aria-label="天数计法"
                            value={d.calendarDays ? 'calendar' : 'working'}
                            options={[
                              { value: 'working', label: '工作日' },
                              { value: 'calendar', label: '自然日' },
                            ]}
                            onChange={(v: string) => update(d.uid, { calendarDays: v === 'calendar' })}
                            style={{ width: '50%' }}
                          />
                        </Space.Compact>
                      </Field>
                    )}
                    <Field label="办理角色" error={e.actor} id={id('actor')}>
                      <Select
                        id={id('actor')}
                        value={d.actor}
                        options={actors.map((a) => ({ value: a, label: a }))}
                        onChange={(v: string) => update(d.uid, { actor: v }, 'actor')}
                      />
                    </Field>
                    {people && (
                      <Field label="由谁办理" id={id('who')}>
                        <Select
                          id={id('who')}
                          value={d.who}
                          popupMatchSelectWidth={false}
                          options={[
                            { value: '', label: `办理角色（${d.actor}）` },
                            { value: 'owner', label: '事项专人（未指定专人时按办理角色）' },
                            ...people.map((p) => ({
                              value: `person:${p.id}`,
                              label: `指定人员：${p.displayName}${p.unitName ? `（${p.unitName}）` : ''}`,
                            })),
                          ]}
                          onChange={(v: string) => update(d.uid, { who: v })}
                        />
                      </Field>
                    )}
                    <Field label="登记内容" id={id('record')}>
                      <Select
                        id={id('record')}
                        value={d.record}
                        options={recordOptions}
                        onChange={(v: string) => update(d.uid, { record: v })}
                      />
                    </Field>
                    <Field label="计入考核" id={id('score')}>
                      <Select
                        id={id('score')}
                        value={d.scoreEvent}
                        options={scoreOptions}
                        onChange={(v: string) => update(d.uid, { scoreEvent: v })}
                      />
                    </Field>
                    <Field label="生成文书（送达被催办单位）" id={id('document')}>
                      <Select
                        id={id('document')}
                        value={d.document}
                        options={
                          d.document && !documentOptions.some((o) => o.value === d.document)
                            ? [...documentOptions, { value: d.document, label: '（已删除的文书模板）' }]
                            : documentOptions
                        }
                        onChange={(v: string) => update(d.uid, { document: v })}
                      />
                    </Field>
                  </div>
                  <Checkbox
                    checked={d.hasNotice}
                    onChange={(ev) => update(d.uid, { hasNotice: ev.target.checked }, 'noticeTitle')}
                  >
                    向承办单位发送通知
                  </Checkbox>
                  {d.hasNotice && (
                    <div className="ladder-notice">
                      <Field label="通知标题" error={e.noticeTitle} id={id('noticeTitle')}>
                        <Input
                          id={id('noticeTitle')}
                          value={d.noticeTitle}
                          maxLength={100}
                          placeholder="如：督查督办通知单"
                          onChange={(ev) => update(d.uid, { noticeTitle: ev.target.value }, 'noticeTitle')}
                        />
                      </Field>
                      <Field label="通知内容（可用 {due} 期限、{replyDue} 回复期限）" id={id('noticeText')}>
                        <Input.TextArea
                          id={id('noticeText')}
                          value={d.noticeText}
                          autoSize={{ minRows: 2, maxRows: 5 }}
                          maxLength={2000}
                          onChange={(ev) => update(d.uid, { noticeText: ev.target.value })}
                        />
                      </Field>
                      <Space wrap align="start">
                        <Checkbox
                          checked={d.replyRequired}
                          onChange={(ev) =>
                            update(
                              d.uid,
                              {
                                replyRequired: ev.target.checked,
                                replyDays: ev.target.checked ? (d.replyDays ?? 3) : d.replyDays,
                              },
                              'replyDays',
                            )
                          }
                        >
                          须书面回复（说明原因和措施）
                        </Checkbox>
                        {d.replyRequired && (
                          <Form.Item
                            validateStatus={e.replyDays ? 'error' : undefined}
                            help={e.replyDays}
                            className="ladder-inline"
                            label="回复期限（工作日）"
                            htmlFor={id('replyDays')}
                            layout="horizontal"
                          >
                            <InputNumber
                              id={id('replyDays')}
                              min={1}
                              max={60}
                              precision={0}
                              value={d.replyDays}
                              onChange={(v) => update(d.uid, { replyDays: v }, 'replyDays')}
                            />
                          </Form.Item>
                        )}
                      </Space>
                    </div>
                  )}
                  {e.effect && (
                    <div className="ladder-rung-error" role="alert">
                      {e.effect}
                    </div>
                  )}
                </Card>
              </li>
            );
          })}
        </ol>
      </Form>
      {editable && (
        <Button
          icon={<PlusOutlined />}
          onClick={() => setDrafts((list) => [...list, newRung(list)])}
          disabled={drafts.length >= MAX_RUNGS || busy}
          block
          type="dashed"
        >
          增加一级
        </Button>
      )}
    </>
  );
}
