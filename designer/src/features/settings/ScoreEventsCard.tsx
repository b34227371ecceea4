import { App as AntdApp, Button, Card, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage, request } from '../../api/client';
import type { ScoreEventDefinition as ScoreEvent } from '../supervision/supervisionApi';

interface Draft {
  key: string;
  name: string;
  adds: boolean;
  builtIn: boolean;
}

/**
 * 考核事件: the shipped events under the organization's own names, and its own events (扣分 or 加分). Names are the
 * organization's for every year; the points are set per year below.
 */
export function ScoreEventsCard({ events, onSaved }: { events: readonly ScoreEvent[]; onSaved: () => void }) {
  const { message } = AntdApp.useApp();
  const [drafts, setDrafts] = useState<Draft[]>(() =>
    events.map((e) => ({ key: e.key, name: e.name, adds: !!e.adds, builtIn: !!e.builtIn })),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const change = (i: number, patch: Partial<Draft>) =>
    setDrafts((d) => d.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      await request<ScoreEvent[]>('PUT', '/api/scoring/events', {
        body: { events: drafts.map((d) => ({ key: d.key || null, name: d.name.trim(), adds: d.adds })) },
      });
      message.success('已保存考核事件');
      onSaved();
    } catch (e) {
      setProblem(
        e instanceof ApiError && e.hasFieldErrors ? Object.values(e.fieldErrors).flat().join('；') : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="考核事件" className="settings-card" data-testid="score-events">
      <Typography.Paragraph type="secondary">
        系统事件可按本单位的叫法改名；可新增本单位自己的事件（如“逾期未报告”“通报表扬”），选择扣分或加分，再在下方设置本年度分值。
        事件可用于催办阶梯的“计入考核”和事项页的“登记考核记录”。
      </Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        {drafts.map((d, i) => (
          <Space key={d.key || `new-${i}`} wrap>
            <Input
              aria-label={`考核事件名称 ${i + 1}`}
              value={d.name}
              maxLength={40}
              style={{ width: 240 }}
              onChange={(e) => change(i, { name: e.target.value })}
            />
            <Select
              aria-label={`扣分或加分 ${i + 1}`}
              value={d.adds ? 'add' : 'deduct'}
              disabled={d.builtIn}
              style={{ width: 90 }}
              options={[
                { value: 'deduct', label: '扣分' },
                { value: 'add', label: '加分' },
              ]}
              onChange={(v: string) => change(i, { adds: v === 'add' })}
            />
            {d.builtIn ? (
              <Typography.Text type="secondary">系统事件</Typography.Text>
            ) : (
              <Button size="small" type="link" danger onClick={() => setDrafts((x) => x.filter((_, j) => j !== i))}>
                删除
              </Button>
            )}
          </Space>
        ))}
        <Space>
          <Button onClick={() => setDrafts((d) => [...d, { key: '', name: '', adds: false, builtIn: false }])}>
            新增考核事件
          </Button>
          <Button type="primary" loading={busy} onClick={() => void save()}>
            保存考核事件
          </Button>
        </Space>
        {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
      </Space>
    </Card>
  );
}
