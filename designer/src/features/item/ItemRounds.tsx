import { Card, Tabs, Typography } from 'antd';
import type { components } from '../../api/schema';
import { formatDateTime } from '../../shared/format';
import { FormRenderer } from '../../shared/forms/FormRenderer';

type Submission = components['schemas']['SubmissionView'];
type RendererProps = Parameters<typeof FormRenderer>[0];

const noop = () => {};

/** Steps submitted more than once (a redo after 退回), each with its rounds, oldest first. */
export function redoneSteps(
  rounds: Submission[] | null | undefined,
): { activityId: string; name: string; rounds: Submission[] }[] {
  const byStep = new Map<string, Submission[]>();
  for (const round of rounds ?? []) byStep.set(round.activityId, [...(byStep.get(round.activityId) ?? []), round]);
  return [...byStep.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([activityId, list]) => ({ activityId, name: list[0].activityName ?? activityId, rounds: list }));
}

/**
 * 历次办理: every round of a step done again after 退回, as 第1轮 / 第2轮 …, each with what was submitted then (the
 * fields this user may see), attachments included (docs/decisions/023).
 */
export function ItemRounds({
  rounds,
  form,
  user,
}: {
  rounds: Submission[] | null | undefined;
  form: RendererProps['form'] | null | undefined;
  user: RendererProps['user'];
}) {
  const steps = redoneSteps(rounds);
  if (steps.length === 0 || !form) return null;
  return (
    <Card className="page-section" size="small" title="历次办理" data-testid="item-rounds">
      {steps.map((step) => (
        <div key={step.activityId}>
          <Typography.Title level={5}>{step.name}</Typography.Title>
          <Tabs
            items={step.rounds.map((round, index) => ({
              key: String(index),
              label: `第${index + 1}轮`,
              children: (
                <>
                  <Typography.Paragraph type="secondary">
                    {round.actorName ?? ''} {formatDateTime(round.at)} 提交
                  </Typography.Paragraph>
                  <FormRenderer
                    form={form}
                    values={round.values as RendererProps['values']}
                    onChange={noop}
                    permissions={{}}
                    disabled
                    original={round.values as RendererProps['values']}
                    user={user}
                  />
                </>
              ),
            }))}
          />
        </div>
      ))}
    </Card>
  );
}
