import { ArrowLeftOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, instancesApi, isAbortError, isApiError, request, taskApi } from '../../api/client';
import type { InstanceDetail, TaskDetail } from '../../api/types';
import { formatDateTime, orEmpty } from '../../shared/format';
import { FormRenderer } from '../../shared/forms/FormRenderer';
import { errorsAfterEdit, splitErrors, validateForm, visibleSubmission } from '../../shared/forms/logic';
import type { FieldErrors, FormValues } from '../../shared/forms/types';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { ProvisionalMark } from '../../shared/deadline/ProvisionalMark';
import { FeedbackLinkCard } from '../feedback/FeedbackLinkCard';
import { documentLinks } from '../documents/documentsApi';
import { ItemTimeline } from '../item/ItemTimeline';
import { TaskExtensionShortcut } from '../supervision';
import '../item/item.css';
import { NextAssignees } from './NextAssignees';
import { ReturnDialog } from './ReturnDialog';
import { CoInputsCard } from '../taskConveniences/CoInputsCard';
import { SentBackNotice } from '../taskConveniences/SentBackNotice';
import { opinionValues } from '../taskConveniences/opinions';
import { useTaskDraft } from '../taskConveniences/useTaskDraft';
import { TaskOperationNotices, TaskOperations, useTaskOperations } from './TaskOperations';
import { isReturnOutcome, outcomeButtonProps } from './outcomes';
import './task.css';

interface Loaded {
  detail: TaskDetail;
  item: InstanceDetail | null;
  /** Bumped on every load, so the form starts again from the server's data. */
  generation: number;
}

function scrollToFirstError() {
  requestAnimationFrame(() => {
    const first = document.querySelector('.ant-form-item-has-error, .task-comment-error');
    first?.scrollIntoView?.({ behavior: 'smooth', block: 'center' });
  });
}

/** 办理: one task with its item, its form under this step's permissions, the timeline and the outcome buttons. */
export default function TaskPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const { message } = AntdApp.useApp();

  const [reloadToken, setReloadToken] = useState(0);
  const query = useQuery(['task', id, reloadToken], async (signal) => {
    const detail = await taskApi.get(id, signal);
    // The timeline comes with the item; someone who may open the task but not the item still gets the task.
    const item = await instancesApi.get(detail.task.instanceId, signal).catch((error: unknown) => {
      if (isAbortError(error)) throw error;
      return null;
    });
    return { detail, item };
  });
  const { loading, error: loadError } = query;

  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [returnOpen, setReturnOpen] = useState(false);
  const [next, setNext] = useState<Record<string, string[]>>({});
  const [nextErrors, setNextErrors] = useState<Record<string, string>>({});

  // Every load starts the form again from the server's data (React's "adjust state when data changes": no effect).
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  if (query.data && query.data.detail !== loaded?.detail) {
    setLoaded({ ...query.data, generation: (loaded?.generation ?? 0) + 1 });
    setValues(query.data.detail.data);
    setErrors({});
    setGeneralErrors([]);
    setCommentError(null);
    setNext({});
    setNextErrors({});
  }

  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  const detail = loaded?.detail ?? null;
  const task = detail?.task ?? null;
  // 更多操作 and what a 代理 or 委派 means here; asked again whenever the task changes status (撤回 reopens it).
  const operations = useTaskOperations(id, task?.status);

  useEffect(() => {
    document.title = task ? `${task.activityName} · ${task.itemTitle} - 督办` : '办理 - 督办';
  }, [task]);

  const isNotice = task?.kind === 'notice';
  const open = task?.status === 'open';
  const canAct = !!detail?.canAct && open;
  const mustClaim = !!detail?.needsClaim && canAct;
  const formDisabled = !canAct || mustClaim;

  // 暂存: the holder's draft on the server, restored once loaded and saved again (debounced) as they type.
  const draft = useTaskDraft({
    taskId: id,
    // A deputy acts for the holder but does not hold the task: the server keeps no draft for him (decision 032).
    enabled: canAct && !mustClaim && !isNotice && !!detail?.form && !detail?.onBehalfOf,
    onRestore: (data, savedComment) => {
      setValues((current) => ({ ...current, ...(data as FormValues) }));
      if (savedComment) setComment(savedComment);
    },
  });

  /** Handles a failed action: 400 beside the fields, 409 reload, others as a message. */
  const handleFailure = useCallback(
    (error: unknown, form: TaskDetail['form']) => {
      if (isApiError(error) && error.status === 400) {
        const { fields, other } = splitErrors(form, error.fieldErrors);
        const commentMessages = Object.entries(error.fieldErrors)
          .filter(([key]) => key.toLowerCase() === 'comment')
          .flatMap(([, m]) => m);
        setErrors(fields);
        setCommentError(commentMessages.length > 0 ? commentMessages.join('；') : null);
        const nextMessages = Object.entries(error.fieldErrors)
          .filter(([key]) => key.toLowerCase() === 'nextassignees')
          .flatMap(([, m]) => m);
        const steps = detail?.nextSteps ?? [];
        if (nextMessages.length > 0 && steps.length > 0) {
          // The server names the step in the message; put it beside that step's picker (else beside the first).
          const beside: Record<string, string> = {};
          for (const m of nextMessages) {
            const step = steps.find((s) => m.includes(`「${s.name}」`)) ?? steps[0];
            beside[step.activityId] = beside[step.activityId] ? `${beside[step.activityId]}；${m}` : m;
          }
          setNextErrors(beside);
        }
        const shownBeside = steps.length > 0 ? nextMessages : [];
        const rest = other.filter((m) => !commentMessages.includes(m) && !shownBeside.includes(m));
        setGeneralErrors(
          rest.length > 0
            ? rest
            : Object.keys(fields).length === 0 && commentMessages.length === 0 && shownBeside.length === 0
              ? [error.message]
              : [],
        );
        message.error(error.message);
        scrollToFirstError();
        return;
      }
      if (isApiError(error) && error.status === 409) {
        message.warning(`${error.message}。页面已刷新为最新状态。`, 5);
        reload();
        return;
      }
      message.error(errorMessage(error));
    },
    [message, reload, detail],
  );

  const complete = async (outcome: string) => {
    if (!detail || !task) return;
    const form = detail.form;
    const isReturn = isReturnOutcome(outcome);
    setGeneralErrors([]);
    if (isReturn && comment.trim() === '') {
      setCommentError('退回时请填写退回理由');
      setErrors({});
      scrollToFirstError();
      return;
    }
    setCommentError(null);
    const steps = (detail.nextSteps ?? []).filter((s) => s.outcome === outcome);
    const missing = steps.filter((s) => s.required && !(next[s.activityId]?.length ?? 0));
    setNextErrors(Object.fromEntries(missing.map((s) => [s.activityId, `请为下一环节「${s.name}」选择办理人`])));
    if (missing.length > 0) {
      message.error(`请为下一环节「${missing[0].name}」选择办理人`);
      scrollToFirstError();
      return;
    }
    const chosen = steps.filter((s) => (next[s.activityId]?.length ?? 0) > 0);
    const nextAssignees =
      chosen.length > 0 ? Object.fromEntries(chosen.map((s) => [s.activityId, next[s.activityId]])) : null;
    if (form && !isReturn) {
      const found = validateForm(form, values, { permissions: detail.permissions, currentData: detail.data, user });
      setErrors(found);
      if (Object.keys(found).length > 0) {
        message.error('表单填写有误，请检查标出的字段');
        scrollToFirstError();
        return;
      }
    } else {
      setErrors({});
    }
    setBusy(outcome);
    try {
      draft.cancelScheduled();
      await taskApi.complete(task.id, {
        outcome,
        comment: comment.trim() || null,
        // A send-back carries its reason and the opinions typed into the form (kept for the redo); the rest is not taken.
        data:
          form && !isReturn
            ? visibleSubmission(form, values, { permissions: detail.permissions, currentData: detail.data, user })
            : opinionValues(form, values, detail.permissions),
        ...(nextAssignees ? { nextAssignees } : {}),
      });
      message.success(`已${outcome}：${task.itemTitle}`);
      navigate('/', { replace: true });
    } catch (error) {
      handleFailure(error, form);
    } finally {
      setBusy(null);
    }
  };

  const claim = async () => {
    if (!task) return;
    setBusy('claim');
    try {
      await taskApi.claim(task.id);
      message.success('已签收，请办理');
      reload();
    } catch (error) {
      handleFailure(error, null);
    } finally {
      setBusy(null);
    }
  };

  const markRead = async () => {
    if (!task) return;
    setBusy('read');
    try {
      await taskApi.read(task.id, comment.trim() || undefined);
      message.success('已阅');
      navigate('/?box=notice', { replace: true });
    } catch (error) {
      handleFailure(error, null);
    } finally {
      setBusy(null);
    }
  };

  /** 委派: the delegate hands the task back with his opinion (the comment) and what he filled in (docs/decisions/031). */
  const giveBack = async () => {
    if (!detail || !task) return;
    if (comment.trim() === '') {
      setCommentError('请填写交还意见');
      scrollToFirstError();
      return;
    }
    setCommentError(null);
    setBusy('giveBack');
    try {
      draft.cancelScheduled();
      await request('POST', `/api/tasks/${encodeURIComponent(task.id)}/delegate-return`, {
        body: {
          data: detail.form
            ? visibleSubmission(detail.form, values, {
                permissions: detail.permissions,
                currentData: detail.data,
                user,
              })
            : null,
          comment: comment.trim(),
        },
      });
      message.success(`已交还委派人：${task.itemTitle}`);
      navigate('/', { replace: true });
    } catch (error) {
      handleFailure(error, detail.form);
    } finally {
      setBusy(null);
    }
  };

  const returnTo = async (targetActivityId: string, reason: string) => {
    if (!task) return;
    setBusy('returnTo');
    try {
      draft.cancelScheduled();
      await taskApi.return(task.id, {
        targetActivityId,
        comment: reason,
        data: opinionValues(detail?.form ?? null, values, detail?.permissions ?? {}),
      });
      setReturnOpen(false);
      message.success('已退回');
      navigate('/', { replace: true });
    } catch (error) {
      if (isApiError(error) && error.status === 400) {
        message.error(error.message);
        throw error;
      }
      setReturnOpen(false);
      handleFailure(error, null);
    } finally {
      setBusy(null);
    }
  };

  // For a notice (no form of its own) show the item's fields as the item page would.
  const shown = useMemo(() => {
    if (!detail) return null;
    if (detail.form) return { form: detail.form, permissions: detail.permissions, data: values };
    if (loaded?.item?.form)
      return { form: loaded.item.form, permissions: loaded.item.permissions, data: loaded.item.data };
    return null;
  }, [detail, values, loaded]);

  if (loading && !loaded) {
    return (
      <div className="page-center">
        <Spin size="large" />
      </div>
    );
  }

  if (loadError && !loaded) {
    const notFound = isApiError(loadError) && loadError.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '待办不存在' : '加载失败'}
        subTitle={notFound ? '该待办不存在，或您无权查看。' : errorMessage(loadError)}
        extra={
          <Space>
            <Button onClick={() => navigate('/')}>返回待办</Button>
            {!notFound && (
              <Button type="primary" onClick={reload}>
                重试
              </Button>
            )}
          </Space>
        }
      />
    );
  }

  if (!detail || !task) return null;

  const finished = !open;
  // 委派 under way: the delegate gives the task back (no outcome); the delegator waits, as the notice above says.
  const delegation = operations.ops?.delegation ?? null;
  const delegate = !!delegation?.isDelegate && !delegation.returned;
  const delegator = !!delegation && !delegation.isDelegate && !delegation.returned;
  const stateNote = finished
    ? task.status === 'completed'
      ? `该待办已办理${task.outcome ? `（${task.outcome}）` : ''}${task.completedAt ? `，办理时间 ${formatDateTime(task.completedAt)}` : ''}。`
      : '该待办已取消（事项已退回、撤销或由他人办理）。'
    : !detail.canAct && !delegator
      ? '您可以查看该待办，但不是它的办理人。'
      : null;

  return (
    <section className="task-page" aria-labelledby="task-heading">
      <div className="page-back">
        <Button
          type="link"
          icon={<ArrowLeftOutlined aria-hidden />}
          onClick={() => navigate(-1)}
          className="page-back-button"
        >
          返回
        </Button>
        <Space>
          <Button
            icon={<ReloadOutlined aria-hidden />}
            onClick={() => {
              reload();
              operations.refresh();
            }}
            loading={loading}
            aria-label="刷新"
          >
            刷新
          </Button>
          <TaskOperations
            taskId={task.id}
            ops={operations.ops}
            refresh={operations.refresh}
            onChanged={reload}
            giveBackValues={() =>
              detail.form
                ? visibleSubmission(detail.form, values, {
                    permissions: detail.permissions,
                    currentData: detail.data,
                    user,
                  })
                : null
            }
          />
        </Space>
      </div>

      <header className="page-header-card" data-testid="task-header">
        <div className="page-header-top">
          {task.itemNumber && <Tag color="red">{task.itemNumber}</Tag>}
          <Typography.Title level={4} id="task-heading" className="page-header-title">
            {task.itemTitle}
          </Typography.Title>
          <LightIndicator light={task.light} />
        </div>
        <dl className="page-header-meta">
          <div>
            <dt>流程</dt>
            <dd>{task.definitionName}</dd>
          </div>
          <div>
            <dt>环节</dt>
            <dd>
              {task.activityName}
              {isNotice && (
                <Tag className="task-kind-tag" color="purple">
                  阅知
                </Tag>
              )}
            </dd>
          </div>
          <div>
            <dt>承办单位</dt>
            <dd>{orEmpty(task.unitName)}</dd>
          </div>
          <div>
            <dt>办理人</dt>
            <dd>{orEmpty(task.assigneeName)}</dd>
          </div>
          <div>
            <dt>到达</dt>
            <dd>{formatDateTime(task.createdAt)}</dd>
          </div>
          <div>
            <dt>期限</dt>
            <dd>
              {formatDateTime(task.dueAt)} <ProvisionalMark provisional={task.provisional} />
            </dd>
          </div>
          <div>
            <dt>事项</dt>
            <dd>
              <Link to={`/items/${task.instanceId}`}>查看事项详情</Link>
            </dd>
          </div>
        </dl>
      </header>

      <TaskOperationNotices
        ops={operations.ops}
        form={detail.form}
        onAdopt={
          canAct
            ? (adopted) => {
                const next = { ...values, ...adopted };
                setValues(next);
                draft.schedule(next, comment);
              }
            : undefined
        }
      />
      {detail.message && (
        <Alert className="page-alert" type="info" showIcon message="办理要求" description={detail.message} />
      )}
      {(detail.documents ?? []).length > 0 && (
        <Alert
          className="page-alert"
          type="info"
          showIcon
          data-testid="task-documents"
          message="送达的文书"
          description={(detail.documents ?? []).map((d) => (
            <div key={d.id}>
              <a href={documentLinks.document(d.id)} download>
                {d.templateName}
                {d.number ? `（${d.number}）` : ''}
              </a>
            </div>
          ))}
        />
      )}
      {open && <SentBackNotice taskId={task.id} />}
      {stateNote && (
        <Alert className="page-alert" type={finished ? 'success' : 'warning'} showIcon message={stateNote} />
      )}
      {mustClaim && (
        <Alert
          className="page-alert"
          type="warning"
          showIcon
          message="该待办发给了单位或角色，签收后由您办理。"
          action={
            <Button type="primary" size="small" onClick={claim} loading={busy === 'claim'}>
              签收
            </Button>
          }
        />
      )}

      <TaskExtensionShortcut task={task} user={user} onChanged={reload} />

      <Row gutter={[16, 0]}>
        <Col xs={24} xl={16}>
          <Card className="page-section" title={shown?.form.name ?? '表单'} size="small">
            {generalErrors.length > 0 && (
              <Alert className="page-alert" type="error" showIcon message={generalErrors.join('；')} role="alert" />
            )}
            {shown ? (
              <FormRenderer
                key={`${task.id}-${loaded?.generation}`}
                form={shown.form}
                values={shown.data}
                onChange={(next) => {
                  setErrors((current) => errorsAfterEdit(current, values, next));
                  setValues(next);
                  draft.schedule(next, comment);
                }}
                permissions={shown.permissions}
                errors={errors}
                disabled={formDisabled || !detail.form}
                original={detail.form ? detail.data : shown.data}
                instanceId={task.instanceId}
                user={user}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该环节没有表单" />
            )}
          </Card>

          <CoInputsCard steps={detail.assignment ? [detail.assignment] : []} />

          {canAct && !mustClaim && (
            <Card
              className="page-section task-actions"
              size="small"
              title={isNotice ? '阅知' : '办理'}
              data-testid="task-actions"
            >
              <div className={`task-comment${commentError ? ' task-comment-error' : ''}`}>
                <label htmlFor="task-comment" className="task-comment-label">
                  {isNotice ? '留言（可选）' : delegate ? '交还意见（必填）' : '办理说明（退回时必填）'}
                </label>
                <Input.TextArea
                  id="task-comment"
                  value={comment}
                  onChange={(e) => {
                    setComment(e.target.value);
                    if (commentError && e.target.value.trim()) setCommentError(null);
                    if (detail.form) draft.schedule(values, e.target.value);
                  }}
                  status={commentError ? 'error' : undefined}
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  maxLength={2000}
                  placeholder={
                    isNotice ? '' : delegate ? '写明办理意见，交还委派人' : '填写办理说明；退回时请写明退回理由'
                  }
                  aria-invalid={!!commentError}
                  aria-describedby={commentError ? 'task-comment-help' : undefined}
                />
                {commentError && (
                  <div id="task-comment-help" className="task-comment-help" role="alert">
                    {commentError}
                  </div>
                )}
              </div>
              {!isNotice && !delegate && (
                <NextAssignees
                  steps={detail.nextSteps ?? []}
                  outcomes={detail.outcomes}
                  value={next}
                  onChange={(value) => {
                    setNext(value);
                    setNextErrors({});
                  }}
                  errors={nextErrors}
                  disabled={busy !== null}
                />
              )}
              <div className="task-buttons">
                {isNotice ? (
                  <Button type="primary" onClick={markRead} loading={busy === 'read'}>
                    已阅
                  </Button>
                ) : delegate ? (
                  <Button
                    type="primary"
                    onClick={giveBack}
                    loading={busy === 'giveBack'}
                    disabled={busy !== null && busy !== 'giveBack'}
                  >
                    交还委派人
                  </Button>
                ) : (
                  detail.outcomes.map((outcome, index) => (
                    <Button
                      key={outcome}
                      {...outcomeButtonProps(outcome, index)}
                      loading={busy === outcome}
                      disabled={busy !== null && busy !== outcome}
                      onClick={() => complete(outcome)}
                    >
                      {outcome}
                    </Button>
                  ))
                )}
                {!isNotice && detail.form && !detail.onBehalfOf && (
                  <Button
                    onClick={async () => {
                      if (await draft.saveNow(values, comment)) message.success('已暂存');
                      else message.error('暂存失败，请稍后再试');
                    }}
                    loading={draft.state.saving}
                    disabled={busy !== null}
                  >
                    暂存
                  </Button>
                )}
                {!isNotice && detail.form && !detail.onBehalfOf && (
                  <span className="task-draft-status" data-testid="draft-status" aria-live="polite">
                    {draft.state.error
                      ? `暂存失败：${draft.state.error}`
                      : draft.state.savedAt
                        ? `已暂存 ${formatDateTime(draft.state.savedAt)}`
                        : ''}
                  </span>
                )}
                {!isNotice && !delegate && detail.returnTargets.length > 0 && (
                  <Button
                    icon={<RollbackOutlined aria-hidden />}
                    onClick={() => setReturnOpen(true)}
                    disabled={busy !== null}
                  >
                    退回到…
                  </Button>
                )}
              </div>
            </Card>
          )}
        </Col>
        <Col xs={24} xl={8}>
          {open && <FeedbackLinkCard taskId={task.id} />}
          <Card className="page-section" title="办理过程" size="small">
            {loaded?.item ? (
              <ItemTimeline entries={loaded.item.timeline} reverse />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无权查看办理过程" />
            )}
          </Card>
        </Col>
      </Row>

      <ReturnDialog
        key={returnOpen ? 'open' : 'closed'}
        open={returnOpen}
        targets={detail.returnTargets}
        busy={busy === 'returnTo'}
        initialReason={comment}
        onCancel={() => setReturnOpen(false)}
        onConfirm={returnTo}
      />
    </section>
  );
}
