import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** 上级交办 as the superior sees it on its item: the subordinate's progress and report (decision 050). */
export type ReferralSummary = Schemas['ReferralSummaryDto'];
/** 上级交办 as the subordinate's office sees it: the superior's notice and its own item. */
export type IncomingReferral = Schemas['IncomingReferralDto'];
export type SubordinateOrganization = Schemas['SubordinateOrganizationDto'];
export type AssignReferral = Schemas['AssignReferralRequest'];
export type ReportFile = Schemas['ReportFile'];
/** The 交办 an item of this organization was started for, as its item page shows it. */
export type ReferralOrigin = Schemas['ReferralOriginDto'];

export const referralsApi = {
  targets: (signal?: AbortSignal) => request<SubordinateOrganization[]>('GET', '/api/referral-targets', { signal }),
  ofItem: (itemId: string, signal?: AbortSignal) =>
    request<ReferralSummary[]>('GET', `/api/instances/${encodeURIComponent(itemId)}/referrals`, { signal }),
  assign: (itemId: string, body: AssignReferral) =>
    request<ReferralSummary>('POST', `/api/instances/${encodeURIComponent(itemId)}/referrals`, { body }),
  /** 撤回交办 by the superior's office, with the reason the subordinate reads. */
  withdraw: (itemId: string, referralId: string, reason: string) =>
    request<ReferralSummary>(
      'POST',
      `/api/instances/${encodeURIComponent(itemId)}/referrals/${encodeURIComponent(referralId)}/withdraw`,
      { body: { reason } },
    ),
  /** On the subordinate's own item: the 交办 it was started for (withdrawn or not). */
  origin: (itemId: string, signal?: AbortSignal) =>
    request<ReferralOrigin[]>('GET', `/api/instances/${encodeURIComponent(itemId)}/referred-by`, { signal }),
  incoming: (signal?: AbortSignal) => request<IncomingReferral[]>('GET', '/api/referrals/incoming', { signal }),
  get: (id: string, signal?: AbortSignal) =>
    request<IncomingReferral>('GET', `/api/referrals/${encodeURIComponent(id)}`, { signal }),
  start: (id: string, definitionId: string, data: Record<string, unknown>) =>
    request<IncomingReferral>('POST', `/api/referrals/${encodeURIComponent(id)}/start`, {
      body: { definitionId, data },
    }),
  /** Files of the office's own item it may send up with the report. */
  files: (id: string, signal?: AbortSignal) =>
    request<ReportFile[]>('GET', `/api/referrals/${encodeURIComponent(id)}/files`, { signal }),
  report: (id: string, text: string, fileIds: string[]) =>
    request<IncomingReferral>('POST', `/api/referrals/${encodeURIComponent(id)}/report`, { body: { text, fileIds } }),
  /** A file the superior passed down, downloaded by the subordinate's office through the 交办. */
  passedFileUrl: (referralId: string, fileId: string) =>
    `/api/referrals/${encodeURIComponent(referralId)}/passed-files/${encodeURIComponent(fileId)}`,
  /** A file sent up with the report, downloaded by the superior through the 交办. */
  fileUrl: (itemId: string, referralId: string, fileId: string) =>
    `/api/instances/${encodeURIComponent(itemId)}/referrals/${encodeURIComponent(referralId)}/files/${encodeURIComponent(fileId)}`,
};

export const referralStatusLabel: Record<ReferralSummary['status'], string> = {
  assigned: '待下级启动',
  started: '下级办理中',
  reported: '已报送办结报告',
  withdrawn: '已撤回',
};

export const progressStatusLabel: Record<string, string> = {
  open: '在办',
  completed: '办结',
  cancelled: '撤销',
  faulted: '运行异常',
};
