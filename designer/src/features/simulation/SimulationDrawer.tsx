import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorMessage } from '../../api/client';
import type { SimulationResult, SimulationScenario, SimulationUnitScore } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { useDirectory } from '../../shared/forms/directory';
import { definitionsApi } from '../../shared/flow/definitionsApi';
import { useQuery } from '../../shared/useQuery';
import type { WorkflowDefinition } from '../../shared/flow';
import {
  BEHAVIOURS,
  type BehaviourKind,
  type BehaviourRow,
  LIGHT_TEXT,
  eventColor,
  newRow,
  simulationApi,
  stopText,
  toBehaviours,
  toRows,
} from './simulationApi';
import { SavedScenarios } from './SavedScenarios';

/** Step types a unit (or the office) acts on: the steps a behaviour can be tied to. */
const HUMAN_STEPS = new Set(['Duban.UserTask', 'Duban.Assign']);

interface Props {
  open: boolean;
  definition: WorkflowDefinition;
  /** The version the designer shows (the draft while editing). */
  version: number;
  isDraft: boolean;
  /** The canvas has changes not saved yet: the simulation runs what is saved. */
  dirty: boolean;
  onClose: () => void;
}

/**
 * 模拟运行 (decision 045): a start date, the units, what each does — by clicking — and the time line the server's simulation
 * answers: deadlines and lights, every rung of the chasing ladder and notice, extensions, deductions and totals. The
 * draft can be run beside the published version on the same scenario.
 */
export function SimulationDrawer({ open, definition, version, isDraft, dirty, onClose }: Props) {
  const { directory } = useDirectory(open);
  const versions = useQuery(open ? ['simulation-versions', definition.definitionId, version] : null, (signal) =>
    definitionsApi.versions(definition.definitionId, signal),
  );
  // The published version to compare the draft with; null when the procedure was never published.
  const publishedVersion =
    versions.data?.filter((v) => v.isPublished).reduce<number | null>((m, v) => Math.max(m ?? 0, v.version), null) ??
    null;
  const [start, setStart] = useState<Dayjs>(() => dayjs().startOf('day'));
  const [due, setDue] = useState<Dayjs | null>(() => dayjs().startOf('day').add(14, 'day'));
  const [rows, setRows] = useState<BehaviourRow[]>([]);
  const [maxDays, setMaxDays] = useState(120);
  const [compare, setCompare] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string[] | null>(null);
  const [results, setResults] = useState<SimulationResult[]>([]);

  const steps = useMemo(
    () =>
      definition.root.activities
        .filter((a) => HUMAN_STEPS.has(a.type))
        .map((a) => ({ value: a.id, label: a.name ?? a.id })),
    [definition],
  );
  const units = rows.map((r) => r.unitId).filter((u, i, all) => all.indexOf(u) === i);
  const canCompare = isDraft && publishedVersion !== null;

  const setUnits = (chosen: string[]) =>
    setRows((current) => {
      const kept = current.filter((r) => chosen.includes(r.unitId));
      const added = chosen.filter((u) => !kept.some((r) => r.unitId === u)).map((u) => newRow(u, `${u}-${Date.now()}`));
      return [...kept, ...added];
    });
  const patch = (key: string, change: Partial<BehaviourRow>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const scenario: SimulationScenario | null =
    units.length === 0
      ? null
      : {
          startDate: start.format('YYYY-MM-DD'),
          dueDate: due ? due.format('YYYY-MM-DD') : null,
          units,
          behaviours: toBehaviours(rows),
          maxDays,
        };
  const load = (saved: SimulationScenario) => {
    if (saved.startDate) setStart(dayjs(saved.startDate));
    setDue(saved.dueDate ? dayjs(saved.dueDate) : null);
    setMaxDays(saved.maxDays ?? 120);
    const stamp = Date.now();
    setRows(toRows(saved, (i) => `saved-${stamp}-${i}`));
    setResults([]);
    setError(null);
  };

  const run = async () => {
    if (!scenario) return;
    setRunning(true);
    setError(null);
    setResults([]);
    try {
      const versions = compare && canCompare ? [version, publishedVersion] : [version];
      const answers: SimulationResult[] = [];
      for (const v of versions)
        answers.push(await simulationApi.run(definition.definitionId, { ...scenario, version: v }));
      setResults(answers);
    } catch (e) {
      const fields = e instanceof ApiError ? Object.values(e.fieldErrors).flat() : [];
      setError(fields.length > 0 ? fields : [errorMessage(e)]);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Drawer title="模拟运行" open={open} onClose={onClose} width="min(1200px, 100vw)" destroyOnHidden>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          在本单位的工作日历、催办阶梯和计分规则的副本上，按虚拟时钟逐日运行{isDraft ? '草稿' : `第 ${version} 版`}
          ，不会写入任何真实事项、编号、得分或待办。
        </Typography.Paragraph>
        {dirty && (
          <Alert type="warning" showIcon message="画布上有未保存的修改：模拟运行使用已保存的版本，请先保存草稿。" />
        )}
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label="登记日期">
            <DatePicker
              value={start}
              allowClear={false}
              onChange={(d) => {
                if (!d) return;
                setStart(d);
                setDue(d.add(14, 'day'));
              }}
              aria-label="登记日期"
            />
          </Form.Item>
          <Form.Item label="完成时限" tooltip="登记表中的日期字段（如完成时限）所填的日期">
            <DatePicker value={due} onChange={setDue} aria-label="完成时限" />
          </Form.Item>
          <Form.Item label="最多模拟">
            <InputNumber min={1} max={366} value={maxDays} onChange={(v) => setMaxDays(v ?? 120)} addonAfter="天" />
          </Form.Item>
          {canCompare && (
            <Form.Item>
              <Checkbox checked={compare} onChange={(e) => setCompare(e.target.checked)}>
                与已发布的第 {publishedVersion} 版对比
              </Checkbox>
            </Form.Item>
          )}
        </Form>
        <Form layout="vertical">
          <Form.Item label="承办单位" style={{ marginBottom: 8 }}>
            <Select
              mode="multiple"
              aria-label="承办单位"
              placeholder="选择登记时交办的单位"
              value={units}
              onChange={setUnits}
              optionFilterProp="label"
              options={directory.units.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        </Form>
        <Table<BehaviourRow>
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: '先选择承办单位，再为每个单位选择办理情形' }}
          columns={[
            { title: '单位', dataIndex: 'unitId', width: 180, render: (u: string) => directory.unitName(u) ?? u },
            {
              title: '环节',
              width: 180,
              render: (_, r) => (
                <Select
                  aria-label={`${directory.unitName(r.unitId) ?? r.unitId}的环节`}
                  style={{ width: '100%' }}
                  value={r.stepId ?? ''}
                  onChange={(v) => patch(r.key, { stepId: v === '' ? null : v })}
                  options={[{ value: '', label: '全部环节' }, ...steps]}
                />
              ),
            },
            {
              title: '办理情形',
              width: 150,
              render: (_, r) => (
                <Select<BehaviourKind>
                  aria-label={`${directory.unitName(r.unitId) ?? r.unitId}的办理情形`}
                  style={{ width: '100%' }}
                  value={r.kind}
                  onChange={(kind) => patch(r.key, { kind })}
                  options={BEHAVIOURS}
                />
              ),
            },
            {
              title: '参数',
              render: (_, r) =>
                r.kind === 'late' || r.kind === 'extension' ? (
                  <Space>
                    <InputNumber
                      aria-label={`${directory.unitName(r.unitId) ?? r.unitId}的工作日数`}
                      min={1}
                      max={120}
                      value={r.days}
                      onChange={(v) => patch(r.key, { days: v ?? 1 })}
                      addonAfter="个工作日"
                    />
                    {r.kind === 'extension' && (
                      <Switch
                        checkedChildren="同意延期"
                        unCheckedChildren="不同意"
                        checked={r.approved}
                        onChange={(approved) => patch(r.key, { approved })}
                      />
                    )}
                  </Space>
                ) : r.kind === 'returned' ? (
                  <InputNumber
                    aria-label={`${directory.unitName(r.unitId) ?? r.unitId}的退回次数`}
                    min={1}
                    max={5}
                    value={r.times}
                    onChange={(v) => patch(r.key, { times: v ?? 1 })}
                    addonAfter="次"
                  />
                ) : null,
            },
            {
              width: 90,
              render: (_, r) => (
                <Button
                  size="small"
                  onClick={() => setRows((current) => [...current, newRow(r.unitId, `${r.unitId}-${Date.now()}`)])}
                >
                  再加一条
                </Button>
              ),
            },
          ]}
        />
        <Button type="primary" loading={running} disabled={units.length === 0} onClick={() => void run()}>
          运行模拟
        </Button>
        <SavedScenarios definitionId={definition.definitionId} current={scenario} onLoad={load} />
        {error && (
          <Alert
            type="error"
            showIcon
            message="无法模拟"
            description={error.map((m) => (
              <div key={m}>{m}</div>
            ))}
          />
        )}
        {results.length > 0 && (
          <Row gutter={16}>
            {results.map((r) => (
              <Col key={r.version} span={24 / results.length}>
                <ResultView result={r} />
              </Col>
            ))}
          </Row>
        )}
      </Space>
    </Drawer>
  );
}

function ResultView({ result }: { result: SimulationResult }) {
  return (
    <section aria-label={`模拟结果：${result.isDraft ? '草稿' : '已发布'}第 ${result.version} 版`}>
      <Typography.Title level={5}>
        {result.isDraft ? '草稿' : '已发布'}（第 {result.version} 版）
      </Typography.Title>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="结果">{stopText(result.stop)}</Descriptions.Item>
        <Descriptions.Item label="模拟期间">
          {formatDateTime(result.startedAt)} 至 {formatDateTime(result.endedAt)}
        </Descriptions.Item>
        <Descriptions.Item label="事项时限">{formatDateTime(result.itemDueAt)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        单位得分
      </Typography.Title>
      <Table<SimulationUnitScore>
        size="small"
        rowKey="unitId"
        pagination={false}
        dataSource={result.scores}
        locale={{ emptyText: '本单位未设计分规则，或没有承办单位' }}
        columns={[
          { title: '单位', dataIndex: 'unitName' },
          { title: '起始分', dataIndex: 'startScore', width: 80 },
          { title: '扣分', dataIndex: 'deducted', width: 70 },
          { title: '得分', dataIndex: 'score', width: 70, render: (s: number) => <strong>{s}</strong> },
        ]}
        expandable={{
          rowExpandable: (s) => s.deductions.length > 0,
          expandedRowRender: (s) => (
            <ul style={{ margin: 0 }}>
              {s.deductions.map((d) => (
                <li key={`${d.at}-${d.event}`}>
                  {formatDateTime(d.at)} 扣 {d.points} 分：{d.reason}
                </li>
              ))}
            </ul>
          ),
        }}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        时间线
      </Typography.Title>
      {result.events.length === 0 ? (
        <Empty description="没有发生任何事件" />
      ) : (
        <Timeline
          aria-label="模拟时间线"
          items={result.events.map((e, i) => ({
            key: i,
            color: eventColor(e.kind, e.light),
            children: (
              <div data-kind={e.kind}>
                <Typography.Text type="secondary">{formatDateTime(e.at)}</Typography.Text> {e.title}
                {e.light && LIGHT_TEXT[e.light] && (
                  <Tag color={LIGHT_TEXT[e.light].color} style={{ marginLeft: 6 }}>
                    {LIGHT_TEXT[e.light].text}
                  </Tag>
                )}
                {e.dueAt && e.kind === 'stepOpened' && (
                  <Typography.Text type="secondary">（时限 {formatDateTime(e.dueAt)}）</Typography.Text>
                )}
                {e.detail && (
                  <div>
                    <Typography.Text type="secondary">{e.detail}</Typography.Text>
                  </div>
                )}
              </div>
            ),
          }))}
        />
      )}
    </section>
  );
}
