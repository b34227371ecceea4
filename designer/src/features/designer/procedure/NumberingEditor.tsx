import { Alert, Checkbox, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage, request } from '../../../api/client';
import type { JsonObject, JsonValue } from '../../../shared/flow';
import { parsePattern, patternOf, type NumberingDraft } from './options';

interface NumberingPreview {
  sequence: string;
  period: string;
  lastNumber: number;
  example: string;
  first: string;
}

const DEFAULT: NumberingDraft = { prefix: '督', year: true, month: false, middle: '', digits: 0, suffix: '号' };

/** The next number the server would give under a rule (POST /api/numbering/preview), asked 0.4 s after the last change. */
function useNumberingPreview(numbering: JsonObject | undefined) {
  const [state, setState] = useState<{ preview: NumberingPreview | null; error: string | null }>({
    preview: null,
    error: null,
  });
  const text = numbering ? JSON.stringify(numbering) : null;
  useEffect(() => {
    if (!text) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request<NumberingPreview>('POST', '/api/numbering/preview', {
        body: { numbering: JSON.parse(text) },
        signal: controller.signal,
      })
        .then((preview) => setState({ preview, error: null }))
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setState({ preview: null, error: errorMessage(e) });
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);
  return text ? state : { preview: null, error: null };
}

/**
 * 事项编号: whether items are numbered, and the number's parts — text before, the year (and month) in 〔〕, text between,
 * the running number's digits, text after — with the next number the server would give. A pattern shaped otherwise
 * (imported) is edited as text. When the number restarts and when it is given are lists.
 */
export function NumberingEditor({
  numbering,
  onChange,
  disabled,
}: {
  numbering: JsonObject | undefined;
  onChange: (next: JsonObject | undefined) => void;
  disabled?: boolean;
}) {
  const pattern = typeof numbering?.pattern === 'string' ? numbering.pattern : '';
  const draft = numbering ? parsePattern(pattern) : null;
  const { preview, error } = useNumberingPreview(numbering);
  const set = (patch: Record<string, JsonValue | undefined>) => {
    const next: JsonObject = { ...(numbering ?? {}) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    onChange(next);
  };
  const setDraft = (patch: Partial<NumberingDraft>) => {
    const d = { ...(draft ?? DEFAULT), ...patch };
    // Restarting every month needs the month in the number; without the year the count never restarts.
    const reset = numbering?.reset;
    set({
      pattern: patternOf(d),
      reset: reset === 'month' && !d.month ? undefined : reset === 'year' && !d.year ? undefined : (reset as JsonValue),
    });
  };

  return (
    <div data-testid="numbering-editor">
      <Form.Item label="为事项编号" help="登记的事项获得唯一的统一编号（如 督〔2026〕12号），不重号、不跳号">
        <Switch
          aria-label="为事项编号"
          checked={!!numbering}
          disabled={disabled}
          onChange={(on) => onChange(on ? { pattern: patternOf(DEFAULT) } : undefined)}
        />
      </Form.Item>
      {numbering && draft && (
        <Space wrap align="start" className="numbering-parts">
          <Form.Item label="前缀">
            <Input
              aria-label="编号前缀"
              value={draft.prefix}
              maxLength={20}
              style={{ width: 100 }}
              onChange={(e) => setDraft({ prefix: e.target.value.replace(/[{}]/g, '') })}
            />
          </Form.Item>
          <Form.Item label="年份">
            <Checkbox
              checked={draft.year}
              onChange={(e) => setDraft({ year: e.target.checked, month: e.target.checked && draft.month })}
            >
              〔年份〕
            </Checkbox>
            {draft.year && (
              <Checkbox checked={draft.month} onChange={(e) => setDraft({ month: e.target.checked })}>
                含月份
              </Checkbox>
            )}
          </Form.Item>
          {draft.year && (
            <Form.Item label="序号前">
              <Input
                aria-label="序号前文字"
                value={draft.middle}
                maxLength={10}
                placeholder="如：第"
                style={{ width: 80 }}
                onChange={(e) => setDraft({ middle: e.target.value.replace(/[{}]/g, '') })}
              />
            </Form.Item>
          )}
          <Form.Item label="序号位数">
            <InputNumber
              aria-label="序号位数"
              min={0}
              max={10}
              precision={0}
              value={draft.digits}
              style={{ width: 90 }}
              onChange={(n) => setDraft({ digits: n ?? 0 })}
            />
          </Form.Item>
          <Form.Item label="后缀">
            <Input
              aria-label="编号后缀"
              value={draft.suffix}
              maxLength={20}
              style={{ width: 80 }}
              onChange={(e) => setDraft({ suffix: e.target.value.replace(/[{}]/g, '') })}
            />
          </Form.Item>
        </Space>
      )}
      {numbering && !draft && (
        <Form.Item label="编号格式" help="可用 {year} 年份、{month} 月份、{seq} 序号、{seq:3} 三位序号">
          <Input
            aria-label="编号格式"
            value={pattern}
            maxLength={80}
            onChange={(e) => set({ pattern: e.target.value })}
          />
        </Form.Item>
      )}
      {numbering && (
        <>
          <Form.Item label="重新编号" htmlFor="numbering-reset">
            <Select
              id="numbering-reset"
              aria-label="重新编号"
              value={typeof numbering.reset === 'string' ? numbering.reset : draft?.year === false ? 'never' : 'year'}
              options={[
                { value: 'year', label: '每年从 1 开始', disabled: draft?.year === false },
                { value: 'month', label: '每月从 1 开始', disabled: !draft?.month },
                { value: 'never', label: '一直累加，不重新开始' },
              ]}
              onChange={(v: string) => set({ reset: v })}
            />
          </Form.Item>
          <div className="numbering-preview" data-testid="numbering-preview" aria-live="polite">
            {preview && (
              <Typography.Text>
                下一个编号：<Typography.Text strong>{preview.example}</Typography.Text>
                <Typography.Text type="secondary">（本期已用到 {preview.lastNumber} 号）</Typography.Text>
              </Typography.Text>
            )}
            {error && <Alert type="error" showIcon message={error} />}
          </div>
        </>
      )}
    </div>
  );
}
