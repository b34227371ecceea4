import type { InstanceSummary, TimelineEntry, WorkflowStatus } from '../../api/types';
import { formatChinaDate } from '../supervision/supervision';

/** How one journal line reads on the item's timeline. */
export interface TimelineLine {
  id: number;
  at: string;
  /** What happened, e.g. 「承办」提交. */
  title: string;
  /** Who did it (name), when known. */
  actor: string | null;
  /** Comment or extra detail, e.g. the reason for a 退回. */
  detail: string | null;
  /** antd Timeline colour. */
  color: 'blue' | 'green' | 'red' | 'gray' | 'orange';
  /** Bookkeeping lines (an activity started or finished) hidden unless asked for. */
  system: boolean;
}

function str(data: unknown, key: string): string | null {
  if (!data || typeof data !== 'object') return null;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A send-back's reason followed by the opinions typed before it (docs/decisions/032). */
function withOpinions(entry: TimelineEntry): string | null {
  const data = entry.data as { opinions?: { label?: string; text?: string }[] } | null;
  const opinions = Array.isArray(data?.opinions) ? data.opinions.filter((o) => o && typeof o.text === 'string') : [];
  const parts = [entry.comment, ...opinions.map((o) => `${o.label ?? '意见'}：${o.text}`)].filter(Boolean);
  return parts.length > 0 ? parts.join('；') : null;
}

function step(entry: TimelineEntry): string {
  const name = entry.activityName ?? entry.activityId ?? '';
  const round = entry.round > 1 ? `（第${entry.round}轮）` : '';
  return name ? `「${name}」${round}` : '';
}

/** A journal line as a person reads it. */
export function describe(entry: TimelineEntry): TimelineLine {
  const base = { id: entry.id, at: entry.at, actor: entry.actorName, detail: entry.comment ?? null, system: false };
  switch (entry.kind) {
    case 'instanceStarted':
      return { ...base, title: '发起事项', color: 'blue' };
    case 'taskCreated': {
      const to = str(entry.data, 'assigneeName');
      return { ...base, actor: null, title: `${step(entry)}送达${to ? ` ${to}` : ''}`, color: 'gray' };
    }
    case 'taskClaimed':
      return { ...base, title: `${step(entry)}签收`, color: 'blue' };
    case 'taskCompleted': {
      const returned = entry.outcome === '退回' || (entry.data as Record<string, unknown> | null)?.sendsBack === true;
      // The outcome counted in 考核 against the unit whose report the step judged (decision 027).
      const scored = str(entry.data, 'scoreEvent')
        ? `计入考核：${str(entry.data, 'judgedUnitName') ?? ''}「${str(entry.data, 'scoreEventName') ?? '考核事件'}」`
        : null;
      return {
        ...base,
        title: `${step(entry)}${entry.outcome ?? '办理完成'}`,
        detail: [withOpinions(entry), scored].filter(Boolean).join('；') || null,
        color: returned ? 'red' : 'green',
      };
    }
    case 'taskReturned': {
      const to = str(entry.data, 'toName');
      return {
        ...base,
        detail: withOpinions(entry),
        title: `${step(entry)}退回${to ? `到「${to}」` : ''}`,
        color: 'red',
      };
    }
    case 'taskTransferred': {
      const to = str(entry.data, 'toName') ?? str(entry.data, 'assigneeName');
      return { ...base, title: `${step(entry)}转办${to ? `给 ${to}` : ''}`, color: 'orange' };
    }
    case 'taskCancelled':
      return { ...base, title: `${step(entry)}待办取消`, color: 'gray', system: true };
    case 'stepAutoPassed':
      // Passed by itself under the step's edge rules (decision 029); the comment says why.
      return { ...base, actor: null, title: `${step(entry)}自动${entry.outcome ?? '通过'}`, color: 'green' };
    case 'noticeRead':
      return { ...base, title: `${step(entry)}已阅`, color: 'green' };
    case 'timerScheduled': {
      const due = str(entry.data, 'dueAt');
      return {
        ...base,
        title: `${step(entry)}开始计时`,
        detail: due ? `到期：${due.slice(0, 16).replace('T', ' ')}` : base.detail,
        color: 'gray',
        system: true,
      };
    }
    case 'timerFired':
      return { ...base, title: `${step(entry)}时间到`, color: 'orange' };
    case 'childStarted': {
      const title = str(entry.data, 'title');
      return { ...base, title: `分解子事项${title ? `「${title}」` : ''}`, color: 'blue' };
    }
    case 'childCompleted':
      return { ...base, title: `子事项办结${entry.outcome ? `：${entry.outcome}` : ''}`, color: 'green' };
    case 'instanceCompleted':
      return { ...base, title: `事项办结${entry.outcome ? `：${entry.outcome}` : ''}`, color: 'green' };
    case 'instanceCancelled':
      return { ...base, title: '事项撤销', color: 'red' };
    case 'activityFaulted':
      return { ...base, title: `${step(entry)}运行异常`, color: 'red' };
    case 'incidentRetried': {
      const to = str(entry.data, 'assignToName');
      return { ...base, title: to ? `异常处理：转办给 ${to} 后继续` : '异常处理后重试', color: 'orange' };
    }
    case 'instanceMigrated':
      return { ...base, title: '迁移到流程新版本', color: 'orange' };
    case 'assignmentChanged':
      return { ...base, title: `${step(entry)}调整承办单位`, color: 'orange' };
    // 撤回, 撤回事项, 委派 and 加签/减签 (docs/decisions/031). A deputy's line names him as 「张三（代李四）」 in actorName.
    case 'taskRecalled':
      return { ...base, title: `${step(entry)}撤回办理，重新办理`, color: 'orange' };
    case 'instanceWithdrawn':
      return { ...base, title: '发起人撤回事项', color: 'red' };
    case 'taskDelegated': {
      const to = str(entry.data, 'toName');
      return { ...base, title: `${step(entry)}委派${to ? `给 ${to}` : ''}`, color: 'orange' };
    }
    case 'delegationReturned':
      return { ...base, title: `${step(entry)}委派办理完毕，交还委派人`, color: 'blue' };
    case 'signerAdded': {
      const who = str(entry.data, 'userName');
      return { ...base, title: `${step(entry)}加签${who ? ` ${who}` : ''}`, color: 'orange' };
    }
    // 文书 (docs/decisions/039): a document generated from a template, with its 文号.
    case 'documentGenerated': {
      const number = str(entry.data, 'number');
      return {
        ...base,
        title: `生成文书《${str(entry.data, 'templateName') ?? '文书'}》${number ? ` ${number}` : ''}`,
        detail: str(entry.data, 'fileName'),
        color: 'blue',
      };
    }
    // 立卷归档 (docs/decisions/047): the item is read-only from here on.
    case 'itemArchived':
      return { ...base, title: '立卷归档', color: 'gray' };
    // 撤销归档 (docs/decisions/048): an administrator took it out of the archive, with a reason.
    case 'itemUnarchived':
      return { ...base, title: '撤销归档', detail: str(entry.data, 'reason'), color: 'orange' };
    // 限定知悉范围 (docs/decisions/037): who was added to or taken off the item's 知悉范围.
    case 'readersChanged': {
      const names = (key: string) => {
        const list = (entry.data as Record<string, unknown> | null)?.[key];
        return Array.isArray(list)
          ? list
              .map((r) => (r && typeof r === 'object' ? str(r, 'name') : null))
              .filter(Boolean)
              .join('、')
          : '';
      };
      const added = names('added');
      const removed = names('removed');
      const detail = [added && `加入：${added}`, removed && `移出：${removed}`].filter(Boolean).join('；');
      return { ...base, title: entry.comment ?? '调整知悉范围', detail: detail || null, color: 'orange' };
    }
    case 'signerRemoved': {
      const who = str(entry.data, 'userName');
      return { ...base, title: `${step(entry)}减签${who ? ` ${who}` : ''}`, color: 'orange' };
    }
    // 延期申请 and 催办 (docs/decisions/014); their full history is in the item page's panels.
    case 'extensionRequested':
    case 'extensionStageApproved':
    case 'extensionApproved':
    case 'extensionRejected': {
      const unit = str(entry.data, 'unitName') ?? '';
      const to = str(entry.data, 'to');
      const date = to ? `至 ${formatChinaDate(to)}` : '';
      const titles: Record<string, string> = {
        extensionRequested: `${unit}申请延期${date}`,
        extensionStageApproved: `同意${unit}延期（${str(entry.data, 'stage') ?? ''}），待下一级审批`,
        extensionApproved: `批准${unit}延期${date}`,
        extensionRejected: `驳回${unit}的延期申请`,
      };
      return {
        ...base,
        title: titles[entry.kind],
        color: entry.kind === 'extensionRejected' ? 'red' : entry.kind === 'extensionApproved' ? 'green' : 'orange',
      };
    }
    // One line per unit step an approved extension moved (docs/decisions/023).
    case 'deadlineExtended': {
      const from = str(entry.data, 'from');
      const to = str(entry.data, 'to');
      return {
        ...base,
        title: `${str(entry.data, 'unitName') ?? ''}「${entry.activityName ?? '办理'}」期限${from ? `由 ${formatChinaDate(from)} ` : ''}延至 ${to ? formatChinaDate(to) : ''}`,
        color: 'green',
      };
    }
    // A chase counts against one unit: kept with the system lines, so other units on the item do not see it by default.
    case 'chased':
      return {
        ...base,
        title: `${str(entry.data, 'unitName') ?? ''}${entry.activityName ?? '催办'}（${entry.outcome ?? ''}）`,
        color: 'orange',
        system: true,
      };
    case 'chaseRecorded':
      return { ...base, title: `登记${entry.activityName ?? '催办'}情况`, color: 'gray', system: true };
    case 'chaseReplied':
      return { ...base, title: `书面回复《${entry.activityName ?? '催办通知'}》`, color: 'gray', system: true };
    case 'chaseCancelled':
      return { ...base, title: `撤销${entry.activityName ?? '催办'}`, color: 'gray', system: true };
    // A 记录日志 step (an Elsa WriteLine, docs/decisions/030): the line it wrote.
    case 'lineWritten':
      return { ...base, title: entry.comment ?? '', detail: null, color: 'blue' };
    case 'activityStarted':
      return { ...base, title: `${step(entry)}开始`, color: 'gray', system: true };
    case 'activityCompleted':
      return {
        ...base,
        title: `${step(entry)}完成${entry.outcome && entry.outcome !== 'Done' ? `（${entry.outcome}）` : ''}`,
        color: 'gray',
        system: true,
      };
    default:
      return { ...base, title: `${step(entry)}${entry.kind}`, color: 'gray', system: true };
  }
}

export function timelineLines(entries: readonly TimelineEntry[], showSystem = false): TimelineLine[] {
  return entries.map(describe).filter((line) => showSystem || !line.system);
}

export const STATUS_LABELS: Record<WorkflowStatus, { label: string; color: string }> = {
  running: { label: '办理中', color: 'processing' },
  suspended: { label: '办理中', color: 'processing' },
  completed: { label: '已办结', color: 'success' },
  cancelled: { label: '已撤销', color: 'default' },
  faulted: { label: '运行异常', color: 'error' },
};

export function statusOf(instance: Pick<InstanceSummary, 'status'> & { result?: string | null }): {
  label: string;
  color: string;
} {
  // 撤回事项 ends the item as cancelled with the result 「已撤回」, told apart from the office's 撤销 (decision 031).
  if (instance.status === 'cancelled' && instance.result === '已撤回') return { label: '已撤回', color: 'default' };
  return STATUS_LABELS[instance.status] ?? { label: instance.status, color: 'default' };
}
