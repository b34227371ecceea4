import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import {
  hasErrors,
  MAX_RUNGS,
  moveRung,
  newRung,
  placeServerProblems,
  sameLadder,
  toDrafts,
  toRungs,
  TRIGGER_KINDS,
  triggerText,
  validateLadder,
  type LadderErrors,
  type RungDraft,
  type RungField,
} from './ladderModel';
import { settingsApi, type LadderSettings } from './settingsApi';

const noErrors: LadderErrors = { rungs: {}, general: [] };

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

/** 催办阶梯: the rungs in order — name, trigger, who acts, what is recorded, what the unit is told, the score event. */
export function LadderTab({ editable }: { editable: boolean }) {
  const { message } = AntdApp.useApp();
  const [settings, setSettings] = useState<LadderSettings | null>(null);
  const [saved, setSaved] = useState<RungDraft[]>([]);
  const [drafts, setDrafts] = useState<RungDraft[]>([]);
  const [errors, setErrors] = useState<LadderErrors>(noErrors);
  const [busy, setBusy] = useState<'save' | 'reset' | null>(null);

  function show(next: LadderSettings) {
    const d = toDrafts(next.rungs);
    setSettings(next);
    setSaved(d);
    setDrafts(d);
    setErrors(noErrors);
  }

  const loaded = useQuery(['ladder'], (signal) => settingsApi.ladder(signal));
  const loadError = loaded.error;
  // The ladder as loaded becomes the drafts once (React's "adjust state when data changes", not an effect).
  const [loadedShown, setLoadedShown] = useState<LadderSettings | undefined>();
  if (loaded.data !== loadedShown) {
    setLoadedShown(loaded.data);
    if (loaded.data) show(loaded.data);
  }

  if (loadError && !settings)
    return <Alert type="error" showIcon message={`催办阶梯加载失败：${errorMessage(loadError)}`} />;
  if (!settings) return <Spin />;

  const actors = settings.actors;
  const dirty = !sameLadder(drafts, saved);

  function update(uid: string, patch: Partial<RungDraft>, field?: RungField) {
    setDrafts((list) => list.map((d) => (d.uid === uid ? { ...d, ...patch } : d)));
    if (field || patch.record !== undefined || patch.hasNotice !== undefined || patch.scoreEvent !== undefined) {
      setErrors((current) => {
        const mine = { ...(current.rungs[uid] ?? {}) };
        if (field) delete mine[field];
        delete mine.effect;
        return { ...current, rungs: { ...current.rungs, [uid]: mine } };
      });
    }
  }

  async function save() {
    const found = validateLadder(drafts, actors);
    setErrors(found);
    if (hasErrors(found)) {
      message.error('请检查标出的内容');
      return;
    }
    setBusy('save');
    try {
      show(await settingsApi.saveLadder(toRungs(drafts)));
      message.success('催办阶梯已保存');
    } catch (e) {
      if (isApiError(e) && e.hasFieldErrors)
        setErrors(placeServerProblems(drafts, Object.values(e.fieldErrors).flat()));
      else setErrors({ rungs: {}, general: [errorMessage(e)] });
    } finally {
      setBusy(null);
    }
  }

  async function reset() {
    setBusy('reset');
    try {
      show(await settingsApi.saveLadder(null));
      message.success('已恢复默认催办阶梯');
    } catch (e) {
      setErrors({ rungs: {}, general: [errorMessage(e)] });
    } finally {
      setBusy(null);
    }
  }

  const recordOptions = [
    { value: '', label: '不登记' },
    ...Object.entries(settings.recordForms)
      .filter(([key]) => key !== 'reply')
      .map(([key, form]) => ({ value: key, label: form.name })),
  ];
  const scoreOptions = [{ value: '', label: '不计入考核' }, ...settings.scoreEvents];

  return (
    <div className="ladder-tab" data-testid="ladder-tab">
      <div className="settings-toolbar">
        <Space wrap>
          {settings.isDefault ? <Tag>系统默认：县级督查督办工作方案</Tag> : <Tag color="blue">本单位自定义</Tag>}
          <Typography.Text type="secondary">
            逾期事项按顺序逐级升级；手动发起的一级须由办理角色在事项页发起后，才继续升级。
          </Typography.Text>
        </Space>
        {editable && (
          <Space wrap>
            <Popconfirm
              title="恢复默认催办阶梯？"
              description="本单位自定义的阶梯将被清除，已发生的催办记录不受影响。"
              okText="恢复默认"
              cancelText="取消"
              onConfirm={reset}
              disabled={settings.isDefault}
            >
              <Button disabled={settings.isDefault || busy !== null} loading={busy === 'reset'}>
                恢复默认
              </Button>
            </Popconfirm>
            <Button disabled={!dirty || busy !== null} onClick={() => show(settings)}>
              放弃修改
            </Button>
            <Button type="primary" onClick={save} loading={busy === 'save'} disabled={busy !== null}>
              保存
            </Button>
          </Space>
        )}
      </div>
      {!editable && <Alert className="page-alert" type="info" showIcon message="催办阶梯由管理员设置，您可以查看。" />}
      {errors.general.length > 0 && (
        <Alert className="page-alert" type="error" showIcon role="alert" message={errors.general.join('；')} />
      )}

      <Form layout="vertical" component="div" disabled={!editable || busy !== null}>
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
                    <Field label="由谁办理" id={id('who')}>
                      <Select
                        id={id('who')}
                        value={d.who}
                        options={[
                          { value: '', label: `办理角色（${d.actor}）` },
                          { value: 'owner', label: '事项专人（未指定专人时按办理角色）' },
                          ...(settings.people ?? []).map((p) => ({
                            value: `person:${p.id}`,
                            label: `指定人员：${p.displayName}${p.unitName ? `（${p.unitName}）` : ''}`,
                          })),
                        ]}
                        onChange={(v: string) => update(d.uid, { who: v })}
                      />
                    </Field>
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
                  {d.key && (
                    <Typography.Text type="secondary" className="ladder-rung-key">
                      标识：{d.key}
                    </Typography.Text>
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
          disabled={drafts.length >= MAX_RUNGS || busy !== null}
          block
          type="dashed"
        >
          增加一级
        </Button>
      )}
    </div>
  );
}
