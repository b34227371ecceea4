import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type NotificationView = Schemas['NotificationView'];
export type NotificationPage = Schemas['PagedListOfNotificationView'];
export type NotificationPreferencesView = Schemas['NotificationPreferencesView'];
export type NotificationPreferenceView = Schemas['NotificationPreferenceView'];
export type NotificationSettingsView = Schemas['NotificationSettingsView'];
export type NotificationChannelView = Schemas['NotificationChannelView'];
export type SaveNotificationSettingsRequest = Schemas['SaveNotificationSettingsRequest'];
export type SaveNotificationChannelRequest = Schemas['SaveNotificationChannelRequest'];
export type TestMessageResult = Schemas['TestMessageResult'];

/** 通知 (issue 20, docs/decisions/040): the bell, the notification center and the 通知设置 page. */
export const notificationsApi = {
  list: (
    query: { page?: number; pageSize?: number; order?: 'newest' | 'unreadFirst'; unreadOnly?: boolean },
    signal?: AbortSignal,
  ) => request<NotificationPage>('GET', '/api/notifications', { query, signal }),
  unreadCount: (signal?: AbortSignal) =>
    request<Schemas['UnreadCount']>('GET', '/api/notifications/unread-count', { signal }),
  read: (id: string) => request<Schemas['MarkedRead']>('POST', `/api/notifications/${encodeURIComponent(id)}/read`),
  readAll: () => request<Schemas['MarkedRead']>('POST', '/api/notifications/read-all'),
  preferences: (signal?: AbortSignal) =>
    request<NotificationPreferencesView>('GET', '/api/notifications/preferences', { signal }),
  savePreferences: (body: {
    preferences: { kind: string; channel: string; enabled: boolean }[];
    email: string | null;
  }) => request<NotificationPreferencesView>('PUT', '/api/notifications/preferences', { body }),
  settings: (signal?: AbortSignal) =>
    request<NotificationSettingsView>('GET', '/api/notifications/settings', { signal }),
  saveSettings: (body: SaveNotificationSettingsRequest) =>
    request<NotificationSettingsView>('PUT', '/api/notifications/settings', { body }),
  addChannel: (body: SaveNotificationChannelRequest) =>
    request<Schemas['SavedChannel']>('POST', '/api/notifications/channels', { body }),
  saveChannel: (id: string, body: SaveNotificationChannelRequest) =>
    request<Schemas['SavedChannel']>('PUT', `/api/notifications/channels/${encodeURIComponent(id)}`, { body }),
  /** 发送测试邮件 with the form's (unsaved) mail settings: the server's answer, nothing saved. */
  testMail: (body: Schemas['TestMailRequest']) =>
    request<TestMessageResult>('POST', '/api/notifications/settings/test', { body }),
  /** 发送测试消息 to a group robot as the form stands: its answer, nothing saved. */
  testChannel: (body: Schemas['TestRobotRequest']) =>
    request<TestMessageResult>('POST', '/api/notifications/channels/test', { body }),
  deleteChannel: (id: string) => request<void>('DELETE', `/api/notifications/channels/${encodeURIComponent(id)}`),
};

/** The bell asks again this often (and when the window regains focus). */
export const UNREAD_POLL_MS = 60_000;

/** Other parts of the app say "the count may have changed" (a task was done) by dispatching this event. */
export const NOTIFICATIONS_CHANGED = 'duban:notifications-changed';

export function notifyChanged() {
  window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}

/** "刚刚", "5 分钟前", "3 小时前", else the date and time. */
export function when(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60000);
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes} 分钟前`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} 小时前`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
