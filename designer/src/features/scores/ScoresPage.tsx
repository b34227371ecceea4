import { can } from '../../app/navigation';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Grid,
  Progress,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { formatDateTime, orEmpty } from '../../shared/format';
import { useCurrentUser } from '../auth/AuthContext';
import {
  formatScore,
  keptPercent,
  scoresApi,
  SOURCE_LABELS,
  type ScoreEvent,
  type ScoreRanking,
  type ScoringRules,
  type UnitScore,
  type UnitScoreRow,
} from './scoresApi';
import './scores.css';

function RulesSummary({ rules }: { rules: ScoringRules }) {
  return (
    <Card
      size="small"
      className="scores-rules"
      title={`${rules.year}年考核规则`}
      extra={
        !rules.scored ? (
          <Tag color="orange">本年度不计分</Tag>
        ) : rules.isDefault ? (
          <Tag bordered={false}>采用系统考核标准</Tag>
        ) : null
      }
    >
      {!rules.scored && (
        <Alert type="info" showIcon message="本组织未设置本年度考核规则，也未采用系统考核标准，各单位不计分。" />
      )}
      <Descriptions size="small" column={1}>
        <Descriptions.Item label="基础分">
          {formatScore(rules.startScore)} 分（最低 {formatScore(rules.floor)} 分）
        </Descriptions.Item>
        {rules.eventTypes.map((t) => (
          <Descriptions.Item key={t.value} label={t.label}>
            {t.value === 'redo'
              ? `退回重办超过 ${rules.redoThreshold} 次，每次扣 ${formatScore(rules.deductions[t.value] ?? 0)} 分`
              : `每次扣 ${formatScore(rules.deductions[t.value] ?? 0)} 分`}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {rules.updatedAt && (
        <Typography.Text type="secondary" className="scores-rules-updated">
          {formatDateTime(rules.updatedAt)} {rules.updatedByName} 修改
        </Typography.Text>
      )}
    </Card>
  );
}

function UnitDetail({ year, unitId }: { year: number; unitId: string }) {
  const { data, loading, error } = useQuery<UnitScore>(['unit-score', year, unitId], (signal) =>
    scoresApi.unit(year, unitId, signal),
  );
  const eventColumns: TableProps<ScoreEvent>['columns'] = [
    { title: '时间', dataIndex: 'at', key: 'at', width: 140, render: (v: string) => formatDateTime(v) },
    { title: '扣分事项', dataIndex: 'label', key: 'label', width: 170 },
    {
      title: '事项',
      key: 'item',
      render: (_: unknown, e) =>
        e.instanceId ? (
          <Link to={`/items/${e.instanceId}`}>
            {e.itemNumber ? `${e.itemNumber} ` : ''}
            {e.itemTitle ?? '查看事项'}
          </Link>
        ) : (
          orEmpty(e.note)
        ),
    },
    {
      title: '扣分',
      key: 'applied',
      width: 90,
      render: (_: unknown, e) =>
        e.applied < e.deduction ? (
          <span title={`按规则扣 ${formatScore(e.deduction)} 分，已到最低分`}>−{formatScore(e.applied)}</span>
        ) : (
          `−${formatScore(e.applied)}`
        ),
    },
    { title: '扣后得分', dataIndex: 'scoreAfter', key: 'scoreAfter', width: 90, render: (v: number) => formatScore(v) },
    { title: '依据', dataIndex: 'source', key: 'source', width: 90, render: (v: string) => SOURCE_LABELS[v] ?? v },
  ];

  if (error) return <Alert type="error" showIcon message="加载失败" description={errorMessage(error)} />;
  if (!data) return <Spin spinning={loading} />;
  if (!data.scored || data.score == null)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${data.year}年不计分（未设置考核规则）`} />;
  return (
    <div className="scores-unit" data-testid="unit-score">
      <div className="scores-unit-stats">
        <Statistic
          title={`${data.year}年得分`}
          value={formatScore(data.score)}
          suffix={`/ ${formatScore(data.startScore ?? 0)}`}
        />
        <Statistic title="累计扣分" value={formatScore(data.deducted ?? 0)} />
        <Statistic title="扣分事件" value={data.events.length} suffix="次" />
      </div>
      <Typography.Title level={5}>扣分明细</Typography.Title>
      {data.deductions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本年度没有扣分记录" />
      ) : (
        <Table
          size="small"
          rowKey="type"
          pagination={false}
          scroll={{ x: 480 }}
          dataSource={data.deductions}
          columns={[
            { title: '扣分事项', dataIndex: 'label', key: 'label' },
            { title: '次数', dataIndex: 'count', key: 'count', width: 80 },
            {
              title: '每次扣分',
              dataIndex: 'perEvent',
              key: 'perEvent',
              width: 100,
              render: (v: number) => formatScore(v),
            },
            { title: '合计扣分', dataIndex: 'total', key: 'total', width: 100, render: (v: number) => formatScore(v) },
          ]}
        />
      )}
      {data.events.length > 0 && (
        <>
          <Typography.Title level={5} className="scores-events-title">
            每次扣分的依据
          </Typography.Title>
          <Table<ScoreEvent>
            size="small"
            rowKey={(e) => `${e.source}-${e.sourceId ?? e.at}-${e.type}`}
            dataSource={data.events}
            columns={eventColumns}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            scroll={{ x: 760 }}
          />
        </>
      )}
    </div>
  );
}

/** 考核: the yearly ranking of units and each unit's deductions with the events behind them. */
export default function ScoresPage() {
  const user = useCurrentUser();
  const screens = Grid.useBreakpoint();
  const [searchParams, setSearchParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(searchParams.get('year')) || thisYear;
  const unitParam = searchParams.get('unit');
  const seesAll = can(user, 'seeAllItems');
  const ranking = useQuery<ScoreRanking>(seesAll ? ['ranking', year] : null, (signal) =>
    scoresApi.ranking(year, signal),
  );
  const rules = useQuery<ScoringRules>(['rules', year], (signal) => scoresApi.rules(year, signal));

  function setParams(next: { year?: number; unit?: string | null }) {
    const params = new URLSearchParams(searchParams);
    if (next.year !== undefined) {
      if (next.year === thisYear) params.delete('year');
      else params.set('year', String(next.year));
    }
    if (next.unit !== undefined) {
      if (next.unit) params.set('unit', next.unit);
      else params.delete('unit');
    }
    setSearchParams(params);
  }

  const years = useMemo(
    () => [thisYear - 2, thisYear - 1, thisYear].map((y) => ({ value: y, label: `${y}年` })),
    [thisYear],
  );
  const openUnit = seesAll ? unitParam : null;
  const openUnitName = ranking.data?.units.find((u) => u.unitId === openUnit)?.unitName;

  const columns: TableProps<UnitScoreRow>['columns'] = [
    {
      title: '排名',
      dataIndex: 'rank',
      key: 'rank',
      width: 70,
      render: (rank: number) => <span className={`scores-rank scores-rank-${rank}`}>{rank}</span>,
    },
    { title: '单位', dataIndex: 'unitName', key: 'unitName' },
    {
      title: '得分',
      dataIndex: 'score',
      key: 'score',
      width: 260,
      render: (score: number) => (
        <div className="scores-bar">
          <Progress
            percent={keptPercent(score, ranking.data?.startScore ?? 0)}
            showInfo={false}
            size="small"
            strokeColor={score < (ranking.data?.startScore ?? 0) ? '#faad14' : '#52c41a'}
          />
          <span className="scores-value">{formatScore(score)}</span>
        </div>
      ),
    },
    {
      title: '扣分',
      dataIndex: 'deducted',
      key: 'deducted',
      width: 90,
      render: (v: number) => (v > 0 ? `−${formatScore(v)}` : '0.00'),
    },
    { title: '扣分事件', dataIndex: 'events', key: 'events', width: 100, render: (v: number) => `${v} 次` },
    {
      title: '',
      key: 'open',
      width: 90,
      render: (_: unknown, row) => (
        <Button type="link" size="small" onClick={() => setParams({ unit: row.unitId })}>
          扣分依据
        </Button>
      ),
    },
  ];

  return (
    <section className="scores-page" aria-labelledby="scores-heading">
      <div className="scores-header">
        <Typography.Title level={4} id="scores-heading" className="scores-heading">
          考核
        </Typography.Title>
        <Space>
          <Select
            aria-label="年度"
            className="scores-year"
            value={year}
            options={years}
            onChange={(y: number) => setParams({ year: y })}
          />
        </Space>
      </div>
      <div className="scores-body">
        <div className="scores-main">
          {seesAll ? (
            <div className="scores-panel">
              <Typography.Title level={5} className="scores-panel-title">
                {year}年各单位得分排名
              </Typography.Title>
              {ranking.error ? (
                <Alert type="error" showIcon message="加载失败" description={errorMessage(ranking.error)} />
              ) : null}
              <Table<UnitScoreRow>
                data-testid="scores-ranking"
                aria-label="各单位得分排名"
                rowKey="unitId"
                size="middle"
                loading={ranking.loading}
                dataSource={ranking.data?.units ?? []}
                columns={columns}
                pagination={false}
                scroll={{ x: 700 }}
                onRow={(row) => ({ onClick: () => setParams({ unit: row.unitId }), className: 'scores-row' })}
              />
            </div>
          ) : user.unitId ? (
            <div className="scores-panel">
              <Typography.Title level={5} className="scores-panel-title">
                {user.unitName ?? '本单位'} {year}年考核得分
              </Typography.Title>
              <UnitDetail year={year} unitId={user.unitId} />
            </div>
          ) : (
            <Empty description="您不属于任何单位，没有考核得分" />
          )}
        </div>
        {rules.data && <RulesSummary rules={rules.data} />}
      </div>

      <Drawer
        open={!!openUnit}
        width={screens.lg ? 820 : '100%'}
        title={openUnitName ? `${openUnitName} · ${year}年考核得分` : '考核得分'}
        onClose={() => setParams({ unit: null })}
        destroyOnHidden
      >
        {openUnit && <UnitDetail year={year} unitId={openUnit} />}
      </Drawer>
    </section>
  );
}
