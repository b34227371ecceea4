import { Button, Checkbox, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ScheduleRule } from './schedulesApi';
import {
  addMonthDay,
  daysInMonth,
  describeRule,
  MAX_N,
  monthDay,
  monthDayLabel,
  RULE_KINDS,
  ruleOfKind,
  shifts,
  WEEKDAYS,
  type RuleKind,
} from './ruleModel';

export interface RuleEditorProps {
  value?: ScheduleRule | null;
  onChange?: (rule: ScheduleRule) => void;
  /** The server's messages about the rule (rule.kind, rule.weekdays …). */
  errors?: string[];
}

/** 重复方式: a kind, then the weekdays, the N, or the month-days it needs — pickers only, no typing of rules. */
export function RuleEditor({ value, onChange, errors }: RuleEditorProps) {
  const rule: ScheduleRule = value ?? {};
  const [month, setMonth] = useState(1);
  const [day, setDay] = useState(15);
  const change = (next: ScheduleRule) => onChange?.(next);

  return (
    <div className="rule-editor" data-testid="rule-editor">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select<RuleKind>
          aria-label="重复方式"
          placeholder="选择重复方式"
          value={(rule.kind as RuleKind | undefined) ?? undefined}
          options={RULE_KINDS.map((k) => ({ value: k.value, label: k.label }))}
          onChange={(kind) => change(ruleOfKind(kind))}
          style={{ width: 240 }}
        />
        {rule.kind === 'weekly' && (
          <Checkbox.Group
            aria-label="每周哪几天"
            value={rule.weekdays ?? []}
            options={WEEKDAYS.map((w) => ({ value: w.value, label: w.label }))}
            onChange={(days) => change({ ...rule, weekdays: [...days].sort((a, b) => a - b) })}
          />
        )}
        {rule.kind === 'nthWorkingDay' && (
          <Space>
            <span>每月第</span>
            <InputNumber
              aria-label="第几个工作日"
              min={1}
              max={MAX_N}
              precision={0}
              value={rule.n ?? null}
              onChange={(n) => change({ ...rule, n: n ?? null })}
            />
            <span>个工作日（按本单位工作日历，含调休）</span>
          </Space>
        )}
        {rule.kind === 'quarterLastTwoWeeks' && (
          <Typography.Text type="secondary">
            每季度最后 14 天为督查专项时间，在其中第一个工作日发起（如三季度为 9月17日—9月30日）。
          </Typography.Text>
        )}
        {rule.kind === 'monthDays' && (
          <Space direction="vertical">
            <Space wrap>
              {(rule.monthDays ?? []).map((d) => (
                <Tag
                  key={d}
                  closable
                  onClose={(e) => {
                    e.preventDefault();
                    change({ ...rule, monthDays: (rule.monthDays ?? []).filter((x) => x !== d) });
                  }}
                >
                  {monthDayLabel(d)}
                </Tag>
              ))}
              {(rule.monthDays ?? []).length === 0 && <Typography.Text type="secondary">尚未选择日期</Typography.Text>}
            </Space>
            <Space>
              <Select
                aria-label="月"
                value={month}
                style={{ width: 90 }}
                virtual={false}
                options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }))}
                onChange={(m) => {
                  setMonth(m);
                  setDay((d) => Math.min(d, daysInMonth(m)));
                }}
              />
              <Select
                aria-label="日"
                value={day}
                style={{ width: 90 }}
                virtual={false}
                options={Array.from({ length: daysInMonth(month) }, (_, i) => ({ value: i + 1, label: `${i + 1}日` }))}
                onChange={setDay}
              />
              <Button
                onClick={() => change({ ...rule, monthDays: addMonthDay(rule.monthDays ?? [], monthDay(month, day)) })}
              >
                添加日期
              </Button>
            </Space>
          </Space>
        )}
        {shifts(rule.kind) && (
          <Checkbox
            checked={rule.shiftToWorkingDay ?? true}
            onChange={(e) => change({ ...rule, shiftToWorkingDay: e.target.checked })}
          >
            遇节假日顺延至下一个工作日
          </Checkbox>
        )}
        {rule.kind && <Typography.Text data-testid="rule-text">规则：{describeRule(rule)}</Typography.Text>}
        {errors && errors.length > 0 && (
          <Typography.Text type="danger" role="alert">
            {errors.join('；')}
          </Typography.Text>
        )}
      </Space>
    </div>
  );
}
