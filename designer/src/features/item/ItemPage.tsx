import { can } from '../../app/navigation';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Grid, Result, Row, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { definitionVersionApi, errorMessage, instancesApi, isApiError } from '../../api/client';
import type { WorkflowDefinition } from '../../shared/flow/types';
import { formatDateTime, orEmpty } from '../../shared/format';
import { FormRenderer } from '../../shared/forms/FormRenderer';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { ProvisionalMark } from '../../shared/deadline/ProvisionalMark';
import { AssignmentsPanel } from '../itemPanels/AssignmentsPanel';
import { CoInputsCard } from '../taskConveniences/CoInputsCard';
import { mayUrge, UrgeButton } from '../taskConveniences/UrgeButton';
import { ItemChildrenPanel } from '../itemPanels/ItemChildrenPanel';
import { ReadersPanel } from '../itemPanels/ReadersPanel';
import { ItemDocumentsCard } from '../documents/ItemDocumentsCard';
import { ReferralOriginNotice } from '../referrals/ReferralOriginNotice';
import { ReferralsPanel } from '../referrals/ReferralsPanel';
import { ChasePanel, ExtensionPanel, ItemDeadline, ReadsPanel, readsOf } from '../supervision';
import { ItemRounds } from './ItemRounds';
import { ItemTimeline } from './ItemTimeline';
import { statusOf } from './timeline';
import { UnarchiveItem } from './UnarchiveItem';
import { WithdrawItem } from './WithdrawItem';
import './item.css';

// The flowchart pulls in @xyflow/react: load it only when the item page shows it.
const FlowView = lazy(() => import('../../shared/flow/FlowView'));

const noop = () => {};

/** 事项详情: every field the user may see, where the item is now and who holds it, the flowchart, the timeline, children. */
export default function ItemPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;

  const [reloadToken, setReloadToken] = useState(0);
  const itemQuery = useQuery(['instance', id, reloadToken], (signal) => instancesApi.get(id, signal));
  const item = itemQuery.data ?? null;
  const { error, loading } = itemQuery;
  const flow = useQuery(
    item ? ['definition', item.instance.definitionId, item.instance.definitionVersion] : null,
    (signal) =>
      definitionVersionApi.get<WorkflowDefinition>(
        item!.instance.definitionId,
        item!.instance.definitionVersion,
        signal,
      ),
  );
  const definition = flow.data?.definition ?? null;
  const flowError = flow.error;

  useEffect(() => {
    document.title = item ? `${item.instance.title} - 督办` : '事项详情 - 督办';
  }, [item]);

  const activeIds = useMemo(() => item?.activeActivityIds ?? [], [item]);
  const doneIds = useMemo(() => item?.doneActivityIds ?? [], [item]);

  if (loading && !item) {
    return (
      <div className="page-center">
        <Spin size="large" />
      </div>
    );
  }
  if (error && !item) {
    const notFound = isApiError(error) && error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '事项不存在' : '加载失败'}
        subTitle={notFound ? '该事项不存在，或您无权查看。' : errorMessage(error)}
        extra={<Button onClick={() => navigate('/')}>返回待办</Button>}
      />
    );
  }
  if (!item) return null;

  const { instance } = item;
  const waitingChildren = item.children.filter((c) => c.status !== 'completed' && c.status !== 'cancelled').length;
  const status = statusOf(instance);

  return (
    <section className="item-page" aria-labelledby="item-heading">
      <div className="page-back">
        <Button
          type="link"
          icon={<ArrowLeftOutlined aria-hidden />}
          onClick={() => navigate(-1)}
          className="page-back-button"
        >
          返回
        </Button>
        <Button icon={<ReloadOutlined aria-hidden />} onClick={() => setReloadToken((n) => n + 1)} loading={loading}>
          刷新
        </Button>
      </div>

      <header className="page-header-card" data-testid="item-header">
        <div className="page-header-top">
          {instance.number && <Tag color="red">{instance.number}</Tag>}
          <Typography.Title level={4} id="item-heading" className="page-header-title">
            {instance.title}
          </Typography.Title>
          {instance.restricted && (
            <Tag color="purple" data-testid="item-restricted">
              限定知悉范围
            </Tag>
          )}
          {instance.archivedAt && (
            <Tag
              data-testid="item-archived"
              title={`${instance.archivedByName ?? ''}于 ${formatDateTime(instance.archivedAt)} 立卷归档，事项只能查看、不能再修改`}
            >
              已归档
            </Tag>
          )}
          {instance.archivedAt && can(user, 'designProcedures') && (
            <UnarchiveItem instanceId={instance.id} onDone={() => setReloadToken((n) => n + 1)} />
          )}
          <Tag color={status.color} data-testid="item-status">
            {status.label}
            {instance.result && instance.status === 'completed' ? `：${instance.result}` : ''}
          </Tag>
          <WithdrawItem
            instanceId={instance.id}
            status={instance.status}
            onWithdrawn={() => setReloadToken((n) => n + 1)}
          />
        </div>
        <dl className="page-header-meta">
          <div>
            <dt>流程</dt>
            <dd>
              {instance.definitionName}（第 {instance.definitionVersion} 版）
            </dd>
          </div>
          <div>
            <dt>发起人</dt>
            <dd>{orEmpty(instance.initiatorName)}</dd>
          </div>
          <div>
            <dt>发起时间</dt>
            <dd>{formatDateTime(instance.createdAt)}</dd>
          </div>
          {instance.finishedAt && (
            <div>
              <dt>结束时间</dt>
              <dd>{formatDateTime(instance.finishedAt)}</dd>
            </div>
          )}
          {item.parentInstanceId && (
            <div>
              <dt>上级事项</dt>
              <dd>
                <Link to={`/items/${item.parentInstanceId}`}>查看上级事项</Link>
              </dd>
            </div>
          )}
          <ItemDeadline instance={instance} />
        </dl>
      </header>

      {item.incident && (
        <Alert className="page-alert" type="error" showIcon message="运行异常" description={item.incident} />
      )}

      <Row gutter={[16, 0]}>
        <Col xs={24} xl={15}>
          <Card className="page-section" size="small" title="当前环节" data-testid="item-current">
            {item.openTasks.length === 0 ? (
              <Typography.Text type="secondary">
                {instance.status === 'completed' || instance.status === 'cancelled'
                  ? '事项已结束，没有待办环节。'
                  : waitingChildren > 0
                    ? `等待子事项办结（${waitingChildren} 项办理中，见下方“子事项进展”）。`
                    : '没有待人办理的环节。'}
              </Typography.Text>
            ) : (
              <ul className="current-steps">
                {item.openTasks.map((t) => (
                  <li key={t.id} className="current-step">
                    <span className="current-step-name">{t.activityName}</span>
                    <span className="current-step-who">
                      {[t.unitName, t.assigneeName].filter(Boolean).join(' · ') || '—'}
                    </span>
                    {t.dueAt && (
                      <span className="current-step-due">
                        期限 {formatDateTime(t.dueAt)} <ProvisionalMark provisional={t.provisional} />
                      </span>
                    )}
                    <LightIndicator light={t.light} />
                    {mayUrge(t, user, instance.initiatorName) && (
                      <UrgeButton taskId={t.id} onDone={() => setReloadToken((n) => n + 1)} />
                    )}
                    <Link to={`/tasks/${t.id}`}>打开</Link>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <AssignmentsPanel item={item} onChanged={() => setReloadToken((n) => n + 1)} />
          <CoInputsCard steps={item.assignments} />
          <ReferralOriginNotice instanceId={instance.id} reloadToken={reloadToken} />
          <ReferralsPanel
            instanceId={instance.id}
            open={instance.status !== 'completed' && instance.status !== 'cancelled' && !instance.archivedAt}
            openTasks={item.openTasks}
            form={item.form}
            data={item.data}
            reloadToken={reloadToken}
            onChanged={() => setReloadToken((n) => n + 1)}
          />

          <ExtensionPanel
            instanceId={instance.id}
            reloadToken={reloadToken}
            onChanged={() => setReloadToken((n) => n + 1)}
          />
          <ChasePanel
            item={item}
            user={user}
            reloadToken={reloadToken}
            onChanged={() => setReloadToken((n) => n + 1)}
          />
          <ReadsPanel reads={readsOf(item)} />
          <ReadersPanel
            instanceId={instance.id}
            viewer={user}
            reloadToken={reloadToken}
            onChanged={(stillVisible) => (stillVisible ? setReloadToken((n) => n + 1) : navigate('/'))}
          />

          <ItemDocumentsCard
            instanceId={instance.id}
            viewer={user}
            reloadToken={reloadToken}
            onGenerated={() => setReloadToken((n) => n + 1)}
          />

          <Card className="page-section" size="small" title={item.form?.name ?? '事项信息'}>
            {item.form ? (
              <FormRenderer
                form={item.form}
                values={item.data}
                onChange={noop}
                permissions={item.permissions}
                original={item.data}
                user={user}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该流程没有表单" />
            )}
          </Card>

          <ItemRounds rounds={item.rounds} form={item.form} user={user} />

          {item.children.length > 0 && (
            <ItemChildrenPanel instanceId={instance.id} items={item.children} refreshKey={reloadToken} />
          )}

          <Card className="page-section" size="small" title="流程图">
            {definition ? (
              <Suspense
                fallback={
                  <div className="page-center">
                    <Spin />
                  </div>
                }
              >
                <FlowView
                  definition={definition}
                  activeActivityIds={activeIds}
                  doneActivityIds={doneIds}
                  height={isPhone ? 360 : 460}
                />
              </Suspense>
            ) : flowError ? (
              <Alert type="warning" showIcon message={`流程图加载失败：${errorMessage(flowError)}`} />
            ) : (
              <Spin />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card className="page-section" size="small" title="办理过程">
            <ItemTimeline entries={item.timeline} />
          </Card>
        </Col>
      </Row>
    </section>
  );
}
