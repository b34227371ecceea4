import { Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage, request } from '../../../api/client';
import type { JsonObject } from '../../../shared/flow';

interface Preview {
  date: string | null;
  text: string;
  provisional: boolean;
}

/**
 * 「从今天起算：2026-12-18（周五）」: the date a deadline gives on the organization's calendar, worked out by the server
 * (POST /api/definitions/deadline-preview) 0.4 s after the last change. Nothing while there is no deadline.
 */
export function DeadlinePreview({ deadline, presets }: { deadline: unknown; presets?: JsonObject | null }) {
  const text =
    deadline === undefined || deadline === null ? null : JSON.stringify({ deadline, presets: presets ?? null });
  const [state, setState] = useState<{ for: string | null; preview: Preview | null; error: string | null }>({
    for: null,
    preview: null,
    error: null,
  });
  useEffect(() => {
    if (!text) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request<Preview>('POST', '/api/definitions/deadline-preview', {
        body: JSON.parse(text),
        signal: controller.signal,
      })
        .then((preview) => setState({ for: text, preview, error: null }))
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setState({ for: text, preview: null, error: errorMessage(e) });
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);
  if (!text || state.for !== text) return null;
  return (
    <div className="deadline-preview" data-testid="deadline-preview" aria-live="polite">
      {state.preview && (
        <Typography.Text type="secondary">
          {state.preview.text}
          {state.preview.provisional && (
            <Tag color="orange" className="deadline-preview__tag">
              暂定（该年节假日安排尚未公布）
            </Tag>
          )}
        </Typography.Text>
      )}
      {state.error && <Typography.Text type="danger">{state.error}</Typography.Text>}
    </div>
  );
}
