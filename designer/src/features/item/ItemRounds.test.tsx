import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ItemRounds, redoneSteps } from './ItemRounds';

const round = (activityId: string, report: string, at: string) => ({
  activityId,
  activityName: activityId === 'fix' ? '整改' : '登记',
  round: 1,
  at,
  actorName: '张联络',
  values: { report },
});

const form = {
  id: 'f',
  name: '整改情况报告',
  fields: [{ key: 'report', label: '整改情况', type: 'textarea' }],
} as unknown as Parameters<typeof ItemRounds>[0]['form'];

describe('历次办理', () => {
  it('lists only steps done more than once, oldest round first', () => {
    const steps = redoneSteps([
      round('start', '登记', '2026-03-01T01:00:00Z'),
      round('fix', '已补齐案卷目录', '2026-03-02T01:00:00Z'),
      round('fix', '已逐卷核查并补正', '2026-03-04T01:00:00Z'),
    ]);
    expect(steps.map((s) => [s.name, s.rounds.length])).toEqual([['整改', 2]]);
  });

  it('shows the first round’s report under 第1轮 beside 第2轮', () => {
    render(
      <ItemRounds
        rounds={[
          round('fix', '已补齐案卷目录', '2026-03-02T01:00:00Z'),
          round('fix', '已逐卷核查并补正', '2026-03-04T01:00:00Z'),
        ]}
        form={form}
        user={null}
      />,
    );
    expect(screen.getByRole('tab', { name: '第1轮' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '第2轮' })).toBeInTheDocument();
    expect(screen.getByText('已补齐案卷目录')).toBeInTheDocument();
  });

  it('shows nothing when no step was redone', () => {
    const { container } = render(
      <ItemRounds rounds={[round('fix', '一次通过', '2026-03-02T01:00:00Z')]} form={form} user={null} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
