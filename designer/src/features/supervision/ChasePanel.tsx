import { BellOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Form, Input, Modal, Select, Space, Spin, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/client';
import type { CurrentUser, InstanceDetail } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { useDirectory } from '../../shared/forms/directory';
import { FormRenderer } from '../../shared/forms/FormRenderer';
import { errorsAfterEdit, validateForm } from '../../shared/forms/logic';
import type { FieldErrors, FormDefinition, FormValues } from '../../shared/forms/types';
import {
  chaseState,
  chaseUnitChoices,
  labelledValues,
  mayRecord,
  raisableRungs,
  replyStatus,
  rungEffects,
  rungTriggerText,
  splitProblem,
  triggerLabel,
  visibleChases,
  isSupervisor,
} from './supervision';
import { supervisionApi, type ChaseView, type LadderRung } from './supervisionApi';
import { useQuery } from '../../shared/useQuery';
import { ItemOwnerLine, ScoreEntriesSection } from './OwnerAndScoreEntries';
import './supervision.css';

const REPLY_FORM = 'reply';

function useItemChases(instanceId: string, reloadToken: number) {
  return useQuery(['chases', instanceId, reloadToken], (signal) => supervisionApi.chases(instanceId, signal));
}

/** The organization's record forms (phone log …), for the 催办 dialog; loaded when a chaser opens the panel. */
function useLadderSettings(enabled: boolean) {
  // A failure leaves them out: the forms also come with each chase; without them the dialog says it cannot record.
  return useQuery(enabled ? ['ladder'] : null, (signal) => supervisionApi.ladder(signal)).data ?? null;
}

// ---------------------------------------------------------------------------

function Lines({
  form,
  values,
  testId,
}: {
  form: FormDefinition | null | undefined;
  values: Record<string, unknown> | null;
  testId?: string;
}) {
  const lines = labelledValues(form, values);
  if (lines.length === 0) return null;
  return (
    <dl className="chase-lines" data-testid={testId}>
      {lines.map((l) => (
        <div key={l.key}>
          <dt>{l.label}</dt>
          <dd>{l.value}</dd>
        </div>
      ))}
    </dl>
  );
}

interface ChaseItemProps {
  chase: ChaseView;
  user: CurrentUser | null;
  replyForm: FormDefinition | undefined;
  onRecord: (chase: ChaseView) => void;
  onCancel: (chase: ChaseView) => void;
}

function ChaseItem({ chase, user, replyForm, onRecord, onCancel }: ChaseItemProps) {
  const state = chaseState(chase);
  const reply = replyStatus(chase);
  const cancelled = chase.status === 'cancelled';
  return (
    <li
      className={`chase-item${cancelled ? ' chase-item-cancelled' : ''}`}
      data-testid="chase-item"
      data-rung={chase.rungKey}
    >
      <div className="chase-item-head">
        <strong className="chase-rung">{chase.rungName}</strong>
        <Tag>{triggerLabel(chase.trigger)}</Tag>
        <Tag color={state.color}>{state.label}</Tag>
        {chase.scoreEventLabel && !cancelled && <Tag color="volcano">计入考核：{chase.scoreEventLabel}</Tag>}
      </div>
      <div className="chase-item-meta">
        <span>{chase.unitName}</span> · <span>{formatDateTime(chase.raisedAt)}</span> ·{' '}
        <span>{chase.raisedByName ?? '系统'}</span>
        {chase.dueAt && (
          <>
            {' · '}
            <span>时限 {formatDateTime(chase.dueAt)}</span>
          </>
        )}
      </div>
      {chase.note && <div className="chase-note">备注：{chase.note}</div>}

      {chase.recordKind && (
        <div className="chase-block">
          <div className="chase-block-title">
            {chase.recordForm?.name ?? '催办记录'}
            {chase.recordedAt && (
              <span className="chase-block-by">
                {chase.recordedByName} · {formatDateTime(chase.recordedAt)}
              </span>
            )}
          </div>
          {chase.record ? (
            <Lines form={chase.recordForm} values={chase.record} testId="chase-record" />
          ) : (
            <Typography.Text type="secondary">{cancelled ? '未登记。' : '尚未登记。'}</Typography.Text>
          )}
        </div>
      )}

      {chase.noticeTitle && (
        <div className="chase-block">
          <div className="chase-block-title">
            《{chase.noticeTitle}》
            {reply && (
              <Tag color={chase.repliedAt ? 'green' : 'orange'} className="chase-reply-tag">
                {reply}
              </Tag>
            )}
            {chase.replyDueAt && !chase.repliedAt && !cancelled && (
              <span className="chase-block-by">回复期限 {formatDateTime(chase.replyDueAt)}</span>
            )}
          </div>
          {chase.noticeText && <p className="chase-notice-text">{chase.noticeText}</p>}
          {chase.reply && (
            <>
              <div className="chase-block-subtitle">
                书面回复 · {chase.repliedByName} · {formatDateTime(chase.repliedAt)}
              </div>
              <Lines form={replyForm} values={chase.reply} testId="chase-reply" />
            </>
          )}
        </div>
      )}

      {cancelled && chase.cancelReason && <div className="chase-note">撤销理由：{chase.cancelReason}</div>}

      {!cancelled && (mayRecord(chase, user) || isSupervisor(user)) && (
        <Space wrap className="chase-item-actions">
          {mayRecord(chase, user) && (
            <Button size="small" type="primary" onClick={() => onRecord(chase)}>
              登记{chase.recordForm?.name ?? '情况'}
            </Button>
          )}
          {isSupervisor(user) && (
            <Button size="small" danger onClick={() => onCancel(chase)}>
              撤销
            </Button>
          )}
        </Space>
      )}
    </li>
  );
}

// ---------------------------------------------------------------------------
// Dialogs

/** A record form; a field's error goes away once it is edited. */
function RecordFields({
  form,
  values,
  onChange,
  errors,
  setErrors,
}: {
  form: FormDefinition;
  values: FormValues;
  onChange: (v: FormValues) => void;
  errors: FieldErrors;
  setErrors: (e: FieldErrors) => void;
}) {
  return (
    <FormRenderer
      form={form}
      values={values}
      onChange={(next) => {
        setErrors(errorsAfterEdit(errors, values, next));
        onChange(next);
      }}
      errors={errors}
      original={{}}
    />
  );
}

interface RaiseDialogProps {
  open: boolean;
  instanceId: string;
  rungs: LadderRung[];
  units: { id: string; name: string }[];
  forms: Record<string, FormDefinition>;
  onClose: () => void;
  onDone: (chase: ChaseView) => void;
}

/** 手动催办: a rung, the unit, and what the rung records (a phone call is logged when it has been made). */
function RaiseDialog({ open, instanceId, rungs, units, forms, onClose, onDone }: RaiseDialogProps) {
  // Each opening starts afresh: the panel mounts this dialog anew (its key) when it opens.
  const [rungKey, setRungKey] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>(units.length === 1 ? units[0].id : undefined);
  const [record, setRecord] = useState<FormValues>({});
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const rung = rungs.find((r) => r.key === rungKey);
  const form = rung?.record ? forms[rung.record] : undefined;

  const submit = async () => {
    const next: FieldErrors = {};
    if (!rungKey) next.rungKey = ['请选择催办方式'];
    if (!unitId) next.unitId = ['请选择被催办单位'];
    if (form) Object.assign(next, validateForm(form, record));
    setErrors(next);
    setGeneral(rung?.record && !form ? ['无法加载该催办方式的登记表，请刷新后重试'] : []);
    if (Object.keys(next).length > 0 || !rungKey || !unitId || (rung?.record && !form)) return;
    setBusy(true);
    try {
      onDone(
        await supervisionApi.raiseChase(instanceId, {
          unitId,
          rungKey,
          record: form ? record : null,
          note: note.trim() || null,
        }),
      );
    } catch (error) {
      const shown = ['rungKey', 'unitId', 'note', ...(form?.fields.map((f) => f.key) ?? [])];
      const split = splitProblem(error, shown, 'record.');
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  };

  const help = (field: string) => errors[field]?.join('；');

  return (
    <Modal
      open={open}
      title="手动催办"
      onCancel={onClose}
      onOk={submit}
      okText="催办"
      cancelText="取消"
      okButtonProps={{ loading: busy }}
      destroyOnHidden
      width={640}
    >
      <div data-testid="chase-raise">
        {general.length > 0 && (
          <Alert className="extension-alert" type="error" showIcon role="alert" message={general.join('；')} />
        )}
        <Form layout="vertical">
          <Form.Item
            label="催办方式"
            htmlFor="chase-rung"
            required
            validateStatus={help('rungKey') ? 'error' : undefined}
            help={help('rungKey')}
          >
            <Select
              id="chase-rung"
              value={rungKey}
              onChange={(value: string) => {
                setRungKey(value);
                setRecord({});
                setErrors({});
              }}
              placeholder="选择催办阶梯中的一级"
              options={rungs.map((r) => ({ value: r.key, label: `${r.name}（${rungTriggerText(r)}）` }))}
            />
          </Form.Item>
          {rung && (
            <p className="chase-effects">
              {rungEffects(rung, form?.name).join('；') || '计入考核'}
              {rung.scoreEvent ? '；计入单位考核' : ''}
            </p>
          )}
          <Form.Item
            label="被催办单位"
            htmlFor="chase-unit"
            required
            validateStatus={help('unitId') ? 'error' : undefined}
            help={help('unitId')}
          >
            <Select
              id="chase-unit"
              value={unitId}
              onChange={(value: string) => setUnitId(value)}
              placeholder="选择承办单位"
              options={units.map((u) => ({ value: u.id, label: u.name }))}
              notFoundContent="没有可催办的承办单位"
            />
          </Form.Item>
        </Form>
        {form && (
          <RecordFields form={form} values={record} onChange={setRecord} errors={errors} setErrors={setErrors} />
        )}
        <Form layout="vertical">
          <Form.Item
            label="备注（可选）"
            htmlFor="chase-note"
            validateStatus={help('note') ? 'error' : undefined}
            help={help('note')}
          >
            <Input.TextArea
              id="chase-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={2000}
              autoSize={{ minRows: 1, maxRows: 4 }}
            />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

function RecordDialog({
  chase,
  onClose,
  onDone,
}: {
  chase: ChaseView | null;
  onClose: () => void;
  onDone: (c: ChaseView) => void;
}) {
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const form = chase?.recordForm;

  const submit = async () => {
    if (!chase || !form) return;
    const next = validateForm(form, values);
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      onDone(await supervisionApi.recordChase(chase.id, values));
    } catch (error) {
      const split = splitProblem(
        error,
        form.fields.map((f) => f.key),
      );
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={chase !== null}
      title={chase ? `登记${form?.name ?? '催办情况'}：${chase.unitName}` : ''}
      onCancel={onClose}
      onOk={submit}
      okText="登记"
      cancelText="取消"
      okButtonProps={{ loading: busy }}
      destroyOnHidden
      width={640}
    >
      <div data-testid="chase-record-dialog">
        {general.length > 0 && (
          <Alert className="extension-alert" type="error" showIcon role="alert" message={general.join('；')} />
        )}
        {form && (
          <RecordFields form={form} values={values} onChange={setValues} errors={errors} setErrors={setErrors} />
        )}
      </div>
    </Modal>
  );
}

function CancelDialog({
  chase,
  onClose,
  onDone,
}: {
  chase: ChaseView | null;
  onClose: () => void;
  onDone: (c: ChaseView) => void;
}) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!chase) return;
    if (!reason.trim()) {
      setReasonError('请填写撤销理由');
      return;
    }
    setBusy(true);
    try {
      onDone(await supervisionApi.cancelChase(chase.id, reason.trim()));
    } catch (error) {
      const split = splitProblem(error, ['reason']);
      setReasonError(split.fields.reason?.join('；') ?? null);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={chase !== null}
      title={chase ? `撤销${chase.rungName}（${chase.unitName}）` : ''}
      onCancel={onClose}
      onOk={submit}
      okText="撤销催办"
      okButtonProps={{ danger: true, loading: busy }}
      cancelText="取消"
      destroyOnHidden
    >
      <p>撤销后，该次催办不再计入单位考核，发给单位的待办一并取消。</p>
      {general.length > 0 && (
        <Alert className="extension-alert" type="error" showIcon role="alert" message={general.join('；')} />
      )}
      <Form layout="vertical">
        <Form.Item
          label="撤销理由"
          htmlFor="chase-cancel-reason"
          required
          validateStatus={reasonError ? 'error' : undefined}
          help={reasonError ?? undefined}
        >
          <Input.TextArea
            id="chase-cancel-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              if (reasonError && e.target.value.trim()) setReasonError(null);
            }}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 4 }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------

export interface ChasePanelProps {
  item: InstanceDetail;
  user: CurrentUser | null;
  reloadToken?: number;
  onChanged?: () => void;
}

/** 催办 on the item page: every chase logged (a liaison: its own unit's), and for the office raising, recording, withdrawing. */
export function ChasePanel({ item, user, reloadToken = 0, onChanged }: ChasePanelProps) {
  const { message } = AntdApp.useApp();
  const instanceId = item.instance.id;
  const { data, error, loading, reload } = useItemChases(instanceId, reloadToken);
  const chaser = !!data?.canRaise;
  const settings = useLadderSettings(chaser);
  const { directory } = useDirectory(chaser);
  const [raising, setRaising] = useState(false);
  const [recording, setRecording] = useState<ChaseView | null>(null);
  const [cancelling, setCancelling] = useState<ChaseView | null>(null);

  const chases = useMemo(() => (data ? visibleChases(data.chases, user) : []), [data, user]);
  const rungs = useMemo(() => (data ? raisableRungs(data.ladder, user) : []), [data, user]);
  const units = useMemo(
    () => (data ? chaseUnitChoices(item, directory.units, data.chases) : []),
    [item, directory.units, data],
  );
  const replyForm = settings?.recordForms[REPLY_FORM];

  if (error && !data) {
    return (
      <Card className="page-section" size="small" title="催办" data-testid="chase-panel">
        <Alert type="warning" showIcon message={`催办记录加载失败：${errorMessage(error)}`} />
      </Card>
    );
  }
  if (!data) return null;
  const finished = item.instance.status === 'completed' || item.instance.status === 'cancelled';
  const mayRaise = chaser && rungs.length > 0 && !finished;
  if (chases.length === 0 && !mayRaise) return null;

  const changed = (text: string) => {
    message.success(text);
    if (onChanged) onChanged();
    else reload();
  };

  return (
    <Card
      className="page-section"
      size="small"
      title={
        <span>
          <BellOutlined aria-hidden /> 催办{chases.length > 0 ? `（${chases.length}）` : ''}
        </span>
      }
      extra={
        <Space>
          {loading && <Spin size="small" />}
          {mayRaise && (
            <Button size="small" type="primary" onClick={() => setRaising(true)}>
              催办
            </Button>
          )}
        </Space>
      }
      data-testid="chase-panel"
    >
      <ItemOwnerLine instanceId={instanceId} chases={data} onChanged={() => (onChanged ? onChanged() : reload())} />
      {chases.length === 0 ? (
        <Typography.Text type="secondary">尚未催办。</Typography.Text>
      ) : (
        <ul className="chase-list" aria-label="催办记录">
          {chases.map((c) => (
            <ChaseItem
              key={c.id}
              chase={c}
              user={user}
              replyForm={replyForm}
              onRecord={setRecording}
              onCancel={setCancelling}
            />
          ))}
        </ul>
      )}

      {chaser && (
        <ScoreEntriesSection instanceId={instanceId} units={units.map((u) => ({ value: u.id, label: u.name }))} />
      )}
      {mayRaise && (
        <RaiseDialog
          key={raising ? 'open' : 'closed'}
          open={raising}
          instanceId={instanceId}
          rungs={rungs}
          units={units}
          forms={settings?.recordForms ?? {}}
          onClose={() => setRaising(false)}
          onDone={(chase) => {
            setRaising(false);
            changed(`已对${chase.unitName}${chase.rungName}`);
          }}
        />
      )}
      <RecordDialog
        key={`record-${recording?.id ?? 'none'}`}
        chase={recording}
        onClose={() => setRecording(null)}
        onDone={(chase) => {
          setRecording(null);
          changed(`已登记${chase.rungName}情况`);
        }}
      />
      <CancelDialog
        key={`cancel-${cancelling?.id ?? 'none'}`}
        chase={cancelling}
        onClose={() => setCancelling(null)}
        onDone={(chase) => {
          setCancelling(null);
          changed(`已撤销${chase.rungName}`);
        }}
      />
    </Card>
  );
}
