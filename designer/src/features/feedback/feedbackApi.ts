import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** One choice of the question (GET /api/public/feedback/{token}). */
export type FeedbackChoice = Schemas['PublicFeedbackChoice'];

/** A line about the item the respondent is shown (label and display text). */
export type FeedbackDetail = Schemas['PublicFeedbackDetail'];

/** What the person answering through a link sees: the item in a few lines, and the question. */
export type FeedbackView = Schemas['PublicFeedbackView'];

/** The answer (POST /api/public/feedback/{token}): the choice's value and an optional note. */
export type FeedbackAnswer = Schemas['PublicFeedbackAnswer'];

/** A link the office made for a task (POST /api/feedback-links); `path` is the page, e.g. /feedback/CfDJ8…. */
export type FeedbackLink = Schemas['FeedbackLinkDto'];

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
export type FeedbackLinkAvailability = Schemas['FeedbackLinkAvailability'];

export const feedbackLinksApi = {
  availability: (taskId: string, signal?: AbortSignal) =>
    request<FeedbackLinkAvailability>('GET', '/api/feedback-links', { query: { taskId }, signal }),
};
