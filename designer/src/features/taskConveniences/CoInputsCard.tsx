import { Card, Descriptions, Empty, Tag } from 'antd';
import type { InstanceDetail } from '../../api/types';
import { formatDateTime } from '../../shared/format';

type Step = NonNullable<InstanceDetail['assignments']>[number];
type Unit = Step['units'][number];

interface OpinionEntry {
  text?: string;
  userName?: string;
}

/** A submitted value as text: opinions (signed entries) by their text, lists joined, the rest as written. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) {
    return value
      .map((v) =>
        v && typeof v === 'object'
          ? ((v as OpinionEntry).text ?? (v as { name?: string }).name ?? JSON.stringify(v))
          : String(v),
      )
      .filter(Boolean)
      .join('；');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The 协办 units of the steps whose inputs this viewer may read, as submitted. */
export function coInputs(steps: Step[]): { step: Step; unit: Unit }[] {
  return steps.flatMap((step) =>
    step.units
      .filter((u) => u.role === 'co' && u.status === 'submitted' && !u.inputHidden && (u.input || u.comment))
      .map((unit) => ({ step, unit })),
  );
}

/**
 * 协办意见: what each 协办 unit submitted to the 主办 — its form's values (labelled from the step's 协办 form) and its
 * comment — shown to those the server lets read them (the 主办, the office, leaders, administrators). Nothing when
 * there is none to show.
 */
export function CoInputsCard({ steps, title = '协办单位意见' }: { steps: Step[] | null | undefined; title?: string }) {
  const entries = coInputs(steps ?? []);
  if ((steps ?? []).every((s) => !s.units.some((u) => u.role === 'co'))) return null;
  return (
    <Card className="page-section" size="small" title={title} data-testid="co-inputs">
      {entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="协办单位尚未提交意见" />
      ) : (
        entries.map(({ step, unit }) => {
          const fields = step.coForm?.fields ?? [];
          const input = (unit.input ?? {}) as Record<string, unknown>;
          const keys = fields.length > 0 ? fields.map((f) => f.key) : Object.keys(input);
          const items = keys
            .filter((k) => valueText(input[k]) !== '')
            .map((k) => ({
              key: k,
              label: fields.find((f) => f.key === k)?.label ?? k,
              children: valueText(input[k]),
            }));
          if (unit.comment) items.push({ key: '__comment', label: '说明', children: unit.comment });
          return (
            <Descriptions
              key={unit.taskId}
              className="co-input"
              size="small"
              column={1}
              title={
                <span>
                  <Tag color="blue">协办</Tag>
                  {unit.unitName}
                  <span className="co-input-meta">
                    {' '}
                    {unit.submittedByName} · {formatDateTime(unit.submittedAt)}
                  </span>
                </span>
              }
              items={items}
            />
          );
        })
      )}
    </Card>
  );
}
