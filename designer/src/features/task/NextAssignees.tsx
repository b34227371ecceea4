import { Form, Select } from 'antd';
import type { SelectProps } from 'antd';
import { useMemo } from 'react';
import type { NextStepChoice } from '../../api/types';
import { useDirectory } from '../../shared/forms/directory';

interface Props {
  steps: NextStepChoice[];
  outcomes: string[];
  value: Record<string, string[]>;
  onChange: (value: Record<string, string[]>) => void;
  errors: Record<string, string>;
  disabled?: boolean;
}

/** 选择下一环节办理人: one picker per next step whose handler this step chooses (units or people). */
export function NextAssignees({ steps, outcomes, value, onChange, errors, disabled }: Props) {
  const { directory, loading } = useDirectory(steps.length > 0);
  const units = useMemo(() => directory.units.map((u) => ({ value: `unit:${u.id}`, label: u.name })), [directory]);
  const options = useMemo<NonNullable<SelectProps['options']>>(
    () => [
      { label: '单位', title: '单位', options: units },
      {
        label: '人员',
        title: '人员',
        options: directory.users.map((u) => ({
          value: `user:${u.id}`,
          label: u.unitName ? `${u.displayName}（${u.unitName}）` : u.displayName,
        })),
      },
    ],
    [directory, units],
  );

  // One picker per step, with the outcomes that lead to it when not every outcome does.
  const byStep = new Map<string, { step: NextStepChoice; outcomes: string[] }>();
  for (const step of steps) {
    const entry = byStep.get(step.activityId) ?? { step, outcomes: [] };
    entry.outcomes.push(step.outcome);
    entry.step = entry.step.required ? entry.step : step;
    byStep.set(step.activityId, entry);
  }
  if (byStep.size === 0) return null;

  return (
    <div className="task-next-assignees" data-testid="next-assignees">
      {[...byStep.values()].map(({ step, outcomes: via }) => {
        const id = `next-${step.activityId}`;
        const when = via.length < outcomes.length ? `（选择“${via.join('”或“')}”时）` : '';
        return (
          <Form.Item
            key={step.activityId}
            layout="vertical"
            label={`下一环节「${step.name}」办理人${when}`}
            htmlFor={id}
            required={step.required}
            validateStatus={errors[step.activityId] ? 'error' : undefined}
            help={
              errors[step.activityId] ??
              (step.required
                ? undefined
                : step.unitsOnly
                  ? '可不选择：沿用已选定的或前一次交办（含督查部门调整后）的单位'
                  : '已在前一轮选定，可不再选择')
            }
          >
            {step.multiple === false ? (
              <Select
                id={id}
                value={value[step.activityId]?.[0]}
                onChange={(picked: string | undefined) =>
                  onChange({ ...value, [step.activityId]: picked ? [picked] : [] })
                }
                options={(step.unitsOnly ? units : options) as SelectProps['options']}
                loading={loading}
                disabled={disabled}
                showSearch
                optionFilterProp="label"
                placeholder={step.unitsOnly ? '选择单位' : '选择单位或人员'}
                allowClear
              />
            ) : (
              <Select
                id={id}
                mode="multiple"
                value={value[step.activityId] ?? []}
                onChange={(ids: string[]) => onChange({ ...value, [step.activityId]: ids })}
                options={(step.unitsOnly ? units : options) as SelectProps['options']}
                loading={loading}
                disabled={disabled}
                optionFilterProp="label"
                placeholder={step.unitsOnly ? '选择单位' : '选择单位或人员'}
                allowClear
              />
            )}
          </Form.Item>
        );
      })}
    </div>
  );
}
