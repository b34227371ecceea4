import { Button, Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import type { FormDefinition, JsonObject, JsonValue } from '../../../shared/flow';
import {
  changeMode,
  DEADLINE_MODES,
  modeOf,
  normalizeDeadline,
  normalizeMonthDay,
  sortMonthDays,
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
  /** The label of the kind picker (办理时限; 事项完成时限 for the item's own). */
  label?: string;
  /** What 不限 means here. */
  noneHelp?: string;
  /** The item's own deadline: counted from the registration unless told; no "same as the item" choice. */
  forItem?: boolean;
}

/** 办理时限: N working days / calendar days / months, fixed dates each year, a date, a date field, or a preset. */
export function DeadlineEditor({
  value,
  onChange,
  forms,
  presets,
  disabled,
  label = '办理时限',
  noneHelp = '不限时',
  forItem = false,
}: DeadlineEditorProps) {
  const defaultFrom = forItem ? 'item' : 'step';
  const spec = normalizeDeadline(value);
  const mode = modeOf(spec);
  const set = (next: DeadlineSpec | undefined) => onChange(next as JsonValue | undefined);
  const dateFields = forms.flatMap((f) =>
    f.fields.filter((x) => x.type === 'date').map((x) => ({ value: x.key, label: x.label || '（未命名）' })),
  );
  const presetNames = Object.keys(presets ?? {}).filter((k) => k !== 'item');
  const counted = mode === 'workingDays' || mode === 'calendarDays' || mode === 'months';

  return (
    <div className="deadline-editor" data-testid="deadline-editor">
      <Form.Item label={label} help={spec ? undefined : noneHelp}>
        <Select<DeadlineMode | 'none'>
          aria-label="时限类型"
          value={mode ?? 'none'}
          disabled={disabled}
          options={[
            { value: 'none', label: '不限' },
            ...DEADLINE_MODES.filter((m) => !forItem || m.value !== 'itemDue'),
          ]}
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
        <Form.Item
          label="每年日期"
          help="取起算日之后的下一个日期；循环再次办理时取上次之后的下一个（如 7月15日、10月15日、1月15日）"
        >
          <MonthDayList value={spec?.dates ?? []} disabled={disabled} onChange={(dates) => set({ ...spec, dates })} />
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
          help={presetNames.length ? undefined : '在“流程设置 → 时限与红黄灯 → 默认时限”中添加'}
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
      {(counted || mode === 'fixedDates') && (
        <Form.Item label="起算">
          <Select
            aria-label="起算时间"
            value={spec?.from ?? defaultFrom}
            disabled={disabled}
            options={[
              ...(forItem ? [] : [{ value: 'step', label: '本环节收到任务时' }]),
              { value: 'assign', label: '交办时（首次交办）' },
              { value: 'item', label: '事项登记时' },
              ...dateFields.map((f) => ({ value: `field:${f.value}`, label: `表单日期：${f.label}` })),
            ]}
            onChange={(from: string) => {
              const next: DeadlineSpec = { ...spec };
              if (from === defaultFrom) delete next.from;
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

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));
const DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const monthDay = (month: number, day: number) => `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** A fixed-date series: month and day pickers, one row per date, kept in calendar order. */
function MonthDayList({
  value,
  disabled,
  onChange,
}: {
  value: readonly string[];
  disabled?: boolean;
  onChange: (dates: string[]) => void;
}) {
  const rows = value.map((typed) => {
    const text = normalizeMonthDay(typed) ?? '01-01';
    const [month, day] = text.split('-').map(Number) as [number, number];
    return { month, day, text };
  });
  const replace = (index: number, month: number, day: number) =>
    onChange(
      sortMonthDays(rows.map((r, i) => (i === index ? monthDay(month, Math.min(day, DAYS_IN[month - 1]!)) : r.text))),
    );
  const next = () => {
    const last = rows.at(-1);
    const taken = new Set(rows.map((r) => r.text));
    for (let step = 1; step <= 12; step++) {
      const month = (((last?.month ?? 12) - 1 + step) % 12) + 1;
      const text = monthDay(month, Math.min(last?.day ?? 15, DAYS_IN[month - 1]!));
      if (!taken.has(text)) return text;
    }
    return null;
  };
  return (
    <Space direction="vertical" data-testid="month-day-list">
      {rows.map((row, index) => (
        <Space key={row.text}>
          <Select
            aria-label={`第${index + 1}个日期的月份`}
            value={row.month}
            disabled={disabled}
            options={MONTHS}
            style={{ width: 88 }}
            onChange={(month: number) => replace(index, month, row.day)}
          />
          <Select
            aria-label={`第${index + 1}个日期的日`}
            value={row.day}
            disabled={disabled}
            options={Array.from({ length: DAYS_IN[row.month - 1]! }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }))}
            style={{ width: 88 }}
            onChange={(day: number) => replace(index, row.month, day)}
          />
          <Button
            size="small"
            disabled={disabled}
            onClick={() => onChange(rows.filter((_, i) => i !== index).map((r) => r.text))}
          >
            删除
          </Button>
        </Space>
      ))}
      <Button
        size="small"
        disabled={disabled}
        onClick={() => {
          const text = next();
          if (text) onChange(sortMonthDays([...rows.map((r) => r.text), text]));
        }}
      >
        添加日期
      </Button>
    </Space>
  );
}
