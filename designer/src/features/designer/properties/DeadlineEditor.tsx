import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import type { FormDefinition, JsonObject, JsonValue } from '../../../shared/flow';
import {
  changeMode,
  DEADLINE_MODES,
  modeOf,
  normalizeDeadline,
  type DeadlineMode,
  type DeadlineSpec,
} from './deadline';

export interface DeadlineEditorProps {
  /** The literal value of the `deadline` input (undefined: no limit). */
  value: unknown;
  onChange: (next: JsonValue | undefined) => void;
  forms: readonly FormDefinition[];
  /** `options.deadlines` of the procedure: the presets a step may refer to. */
  presets: JsonObject | null | undefined;
  disabled?: boolean;
}

/** 办理时限: N working days / calendar days / months, fixed dates each year, a date, a date field, or a preset. */
export function DeadlineEditor({ value, onChange, forms, presets, disabled }: DeadlineEditorProps) {
  const spec = normalizeDeadline(value);
  const mode = modeOf(spec);
  const set = (next: DeadlineSpec | undefined) => onChange(next as JsonValue | undefined);
  const dateFields = forms.flatMap((f) =>
    f.fields.filter((x) => x.type === 'date').map((x) => ({ value: x.key, label: `${x.label}（${x.key}）` })),
  );
  const presetNames = Object.keys(presets ?? {}).filter((k) => k !== 'item');
  const counted = mode === 'workingDays' || mode === 'calendarDays' || mode === 'months';

  return (
    <div className="deadline-editor" data-testid="deadline-editor">
      <Form.Item label="办理时限" help={spec ? undefined : '不限时'}>
        <Select<DeadlineMode | 'none'>
          aria-label="时限类型"
          value={mode ?? 'none'}
          disabled={disabled}
          options={[{ value: 'none', label: '不限' }, ...DEADLINE_MODES]}
          onChange={(m) => set(m === 'none' ? undefined : changeMode(spec, m))}
        />
      </Form.Item>
      {counted && (
        <Form.Item label="时长">
          <InputNumber
            aria-label="时限数量"
            min={1}
            precision={0}
            value={spec?.amount ?? null}
            disabled={disabled}
            addonAfter={DEADLINE_MODES.find((m) => m.value === mode)?.label}
            onChange={(n) => set({ ...spec, amount: n === null ? null : Number(n) })}
          />
        </Form.Item>
      )}
      {mode === 'fixedDates' && (
        <Form.Item label="每年日期" help="月-日，如 07-15；取下一个到来的日期">
          <Select
            mode="tags"
            aria-label="每年日期"
            value={spec?.dates ?? []}
            disabled={disabled}
            tokenSeparators={[',', '，', ' ']}
            onChange={(dates: string[]) => set({ ...spec, dates: dates.map((d) => d.trim()).filter(Boolean) })}
          />
        </Form.Item>
      )}
      {mode === 'date' && (
        <Form.Item label="日期">
          <DatePicker
            aria-label="时限日期"
            value={spec?.date ? dayjs(spec.date) : null}
            disabled={disabled}
            onChange={(d) => set({ ...spec, date: d ? d.format('YYYY-MM-DD') : null })}
          />
        </Form.Item>
      )}
      {mode === 'field' && (
        <Form.Item label="日期字段">
          <Select
            aria-label="日期字段"
            value={spec?.field ?? undefined}
            disabled={disabled}
            options={dateFields}
            placeholder={dateFields.length ? '选择表单中的日期字段' : '表单中没有日期字段'}
            onChange={(field: string) => set({ ...spec, field })}
          />
        </Form.Item>
      )}
      {mode === 'preset' && (
        <Form.Item
          label="默认时限名称"
          help={presetNames.length ? undefined : '在“流程设置”的 options.deadlines 中定义'}
        >
          {presetNames.length > 0 ? (
            <Select
              aria-label="默认时限名称"
              value={spec?.preset ?? undefined}
              disabled={disabled}
              options={presetNames.map((p) => ({ value: p, label: p }))}
              onChange={(preset: string) => set({ ...spec, preset })}
            />
          ) : (
            <Input
              aria-label="默认时限名称"
              value={spec?.preset ?? ''}
              disabled={disabled}
              onChange={(e) => set({ ...spec, preset: e.target.value })}
            />
          )}
        </Form.Item>
      )}
      {counted && (
        <Form.Item label="起算">
          <Select
            aria-label="起算时间"
            value={spec?.from ?? 'step'}
            disabled={disabled}
            options={[
              { value: 'step', label: '本环节收到任务时' },
              { value: 'item', label: '事项登记时' },
              ...dateFields.map((f) => ({ value: `field:${f.value}`, label: `表单日期：${f.label}` })),
            ]}
            onChange={(from: string) => {
              const next: DeadlineSpec = { ...spec };
              if (from === 'step') delete next.from;
              else next.from = from;
              set(next);
            }}
          />
        </Form.Item>
      )}
      {mode === 'itemDue' && (
        <Typography.Text type="secondary">本环节的期限跟随事项的完成时限（批准延期后随之顺延）。</Typography.Text>
      )}
      {spec && mode !== 'preset' && mode !== 'itemDue' && (
        <Space>
          <Checkbox
            checked={spec.nextWorkingDay ?? mode !== 'date'}
            disabled={disabled}
            onChange={(e) => set({ ...spec, nextWorkingDay: e.target.checked })}
          >
            遇节假日顺延至下一个工作日
          </Checkbox>
        </Space>
      )}
      {spec && !mode && <Typography.Text type="warning">无法识别的时限设置，请在“其他参数”中修改。</Typography.Text>}
    </div>
  );
}
