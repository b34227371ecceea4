import { ApiError, CSRF_HEADER, CSRF_VALUE } from '../../api/client';
import type { ProblemDetails } from '../../api/types';
import type { AttachmentRef } from './types';

/** What the server accepts (GET /api/attachments/limits). */
export interface AttachmentLimits {
  maxBytes: number;
  /** Lower-case extensions with the dot, e.g. ".pdf". Empty = any type. */
  allowedExtensions: string[];
}

/** The stored file as the server describes it after an upload. */
export interface AttachmentInfo extends AttachmentRef {
  size: number;
  contentType: string;
  instanceId: string | null;
  uploadedAt: string;
  uploadedByName: string | null;
}

/** Download address of an attachment (the server checks that the user may see its item). */
export function attachmentUrl(id: string): string {
  return `/api/attachments/${encodeURIComponent(id)}`;
}

/** The reference kept in the form's data: `{ id, name, size, contentType }` and nothing else. */
export function toRef(info: AttachmentInfo | AttachmentRef): AttachmentRef {
  return { id: info.id, name: info.name, size: info.size ?? null, contentType: info.contentType ?? null };
}

export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A problem with the file the browser can see before sending it; null when it looks acceptable. */
export function checkFile(file: { name: string; size: number }, limits: AttachmentLimits | null): string | null {
  if (!limits) return null;
  if (file.size === 0) return `文件「${file.name}」是空文件`;
  if (file.size > limits.maxBytes) return `文件「${file.name}」超过大小上限 ${formatSize(limits.maxBytes)}`;
  if (limits.allowedExtensions.length > 0) {
    const dot = file.name.lastIndexOf('.');
    const ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
    if (!limits.allowedExtensions.includes(ext)) {
      return `不支持的文件类型「${ext || '无扩展名'}」，允许：${limits.allowedExtensions.join(' ')}`;
    }
  }
  return null;
}

let limitsPending: Promise<AttachmentLimits> | undefined;

export function loadAttachmentLimits(): Promise<AttachmentLimits> {
  limitsPending ??= fetch('/api/attachments/limits', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  })
    .then(async (response) => {
      if (!response.ok) throw new ApiError(response.status);
      return (await response.json()) as AttachmentLimits;
    })
    .catch((error: unknown) => {
      limitsPending = undefined;
      throw error;
    });
  return limitsPending;
}

export interface UploadOptions {
  /** The item the file belongs to (task page); none on the start form — the item claims it when it starts. */
  instanceId?: string;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

/** POST /api/attachments (multipart). Rejects with ApiError carrying the server's Chinese message. */
export function uploadAttachment(file: File, options: UploadOptions = {}): Promise<AttachmentInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const url = options.instanceId
      ? `/api/attachments?instanceId=${encodeURIComponent(options.instanceId)}`
      : '/api/attachments';
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader(CSRF_HEADER, CSRF_VALUE);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as AttachmentInfo);
      else reject(new ApiError(xhr.status, body && typeof body === 'object' ? (body as ProblemDetails) : undefined));
    };
    xhr.onerror = () => reject(new ApiError(0));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const data = new FormData();
    data.append('file', file, file.name);
    xhr.send(data);
  });
}
