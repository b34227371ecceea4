import { DatePicker, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { errorMessage, request } from '../../../api/client';
import type { JsonObject } from '../../../shared/flow';

interface Preview {
  date: string | null;
  text: string;
  provisional: boolean;
}

/** Whether the deadline counts from a date field of the form (`from: field:<key>`). */
export function countsFromField(deadline: unknown): boolean {
  const from = deadline && typeof deadline === 'object' ? (deadline as { from?: unknown }).from : undefined;
  return typeof from === 'string' && from.startsWith('field:');
}

/**
 * 「从今天起算：2026-12-18（周五）」: the date a deadline gives on the organization's calendar, worked out by the server
 * (POST /api/definitions/deadline-preview) 0.4 s after the last change. Nothing while there is no deadline. A deadline
 * counted from a date field has no date of its own: it is worked out from an example date the administrator may change
 * (today unless another is picked) and says so — 「从该字段的日期起算，例如该日期为 … 时：…」 (decision 033).
 */
export function DeadlinePreview({ deadline, presets }: { deadline: unknown; presets?: JsonObject | null }) {
  const [example, setExample] = useState<Dayjs | null>(null);
  const fromField = countsFromField(deadline);
  const text =
    deadline === undefined || deadline === null
      ? null
      : JSON.stringify({
          deadline,
          presets: presets ?? null,
          from: fromField && example ? example.format('YYYY-MM-DD') : null,
        });
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
  const picker = fromField && (
    <Space size={4} className="deadline-preview__example">
      <Typography.Text type="secondary">示例日期</Typography.Text>
      <DatePicker
        size="small"
        aria-label="示例日期"
        allowClear
        placeholder="今天"
        value={example}
        onChange={(d) => setExample(d && d.isValid() ? d : null)}
        disabledDate={(d) => d.isBefore(dayjs('2000-01-01'))}
      />
    </Space>
  );
  if (!text || state.for !== text) return picker ? <div className="deadline-preview">{picker}</div> : null;
  return (
    <div className="deadline-preview" data-testid="deadline-preview" aria-live="polite">
      {picker}
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
