import { request } from '../../api/client';

/** One choice of the question (GET /api/public/feedback/{token}). */
export interface FeedbackChoice {
  value: string;
  label: string;
}

/** A line about the item the respondent is shown (label and display text). */
export interface FeedbackDetail {
  label: string;
  value: string | null;
}

/** What the person answering through a link sees: the item in a few lines, and the question. */
export interface FeedbackView {
  itemTitle: string;
  itemNumber: string | null;
  respondentName: string | null;
  question: string;
  choices: FeedbackChoice[];
  /** Label of the free-text note; null when the step takes none. */
  noteLabel: string | null;
  details: FeedbackDetail[];
  expiresAt: string;
}

export interface FeedbackAnswer {
  choice: string;
  note?: string;
}

/** A link the office made for a task (POST /api/feedback-links). */
export interface FeedbackLink {
  taskId: string;
  token: string;
  /** The page of the link, e.g. /feedback/CfDJ8…; prefix it with the site's address. */
  path: string;
  expiresAt: string;
}

/** The anonymous endpoints never mean "session expired": a 401 must not sign anyone out. */
export const feedbackApi = {
  view: (token: string, signal?: AbortSignal) =>
    request<FeedbackView>('GET', `/api/public/feedback/${encodeURIComponent(token)}`, {
      signal,
      ignoreUnauthorized: true,
    }),
  answer: (token: string, answer: FeedbackAnswer) =>
    request<void>('POST', `/api/public/feedback/${encodeURIComponent(token)}`, {
      body: answer,
      ignoreUnauthorized: true,
    }),
  createLink: (taskId: string) => request<FeedbackLink>('POST', '/api/feedback-links', { body: { taskId } }),
};

/** GET /api/feedback-links?taskId=: may the signed-in user make a link for this task, and if not, why. */
export interface FeedbackLinkAvailability {
  taskId: string;
  available: boolean;
  reason: string | null;
}

export const feedbackLinksApi = {
  availability: (taskId: string, signal?: AbortSignal) =>
    request<FeedbackLinkAvailability>('GET', '/api/feedback-links', { query: { taskId }, signal }),
};
