import { ArrowLeftOutlined, FileAddOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Col,
  Empty,
  Result,
  Row,
  Skeleton,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { definitionVersionApi, errorMessage, instancesApi, isApiError } from '../../api/client';
import type { DefinitionSummary } from '../../api/types';
import type { WorkflowDefinition } from '../../shared/flow/types';
import { FormRenderer } from '../../shared/forms/FormRenderer';
import { errorsAfterEdit, splitErrors, validateForm, visibleSubmission } from '../../shared/forms/logic';
import type { FieldErrors, FormValues } from '../../shared/forms/types';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import { useDefinitions } from '../inbox/useInboxData';
import { isOffice, RestrictionFields, type Restriction } from '../itemPanels/ReadersPanel';
import { ReferralNotice } from '../referrals/ReferralNotice';
import { referralsApi } from '../referrals/referralsApi';
import '../item/item.css';
import { startFormOf, type StartForm } from './startForm';
import './start.css';

/** 发起: choose a published procedure, fill its start form, submit, land on the new item's page. */
export default function StartPage() {
  const [params, setParams] = useSearchParams();
  const chosen = params.get('definitionId');
  // Starting an incoming 上级交办 (decision 050): the chosen procedure starts it, with the superior's notice shown.
  const referral = params.get('referral');
  const choose = (definitionId: string) => setParams(referral ? { referral, definitionId } : { definitionId });
  const back = () => setParams(referral ? { referral } : {});
  const { definitions, loading } = useDefinitions();
  // Only what this user may start (the procedure's 发起权限, decision 029).
  const published = useMemo(() => definitions.filter((d) => d.publishedVersion !== null && d.canStart), [definitions]);

  useEffect(() => {
    document.title = '发起 - 督办';
  }, []);

  if (chosen) {
    // The list says which version is published; wait for it rather than load the form twice.
    if (loading) {
      return (
        <div className="page-center">
          <Spin size="large" />
        </div>
      );
    }
    const summary = published.find((d) => d.definitionId === chosen);
    if (definitions.some((d) => d.definitionId === chosen && d.publishedVersion !== null && !d.canStart)) {
      return (
        <Result
          status="403"
          title="您不能发起该流程"
          subTitle="该流程限定了可发起的角色或单位，您不在其中。如需发起，请联系管理员。"
          extra={<Button onClick={back}>返回流程列表</Button>}
        />
      );
    }
    return <StartFormView key={chosen} definitionId={chosen} summary={summary} onBack={back} referralId={referral} />;
  }

  return (
    <section className="start-page" aria-labelledby="start-heading">
      <Typography.Title level={4} id="start-heading" className="start-heading">
        发起事项
      </Typography.Title>
      <Typography.Paragraph type="secondary">选择流程类型，填写登记表后提交。</Typography.Paragraph>
      {referral && <ReferralNotice referralId={referral} />}
      {loading ? (
        <Skeleton active />
      ) : published.length === 0 ? (
        <Empty description="暂无您可以发起的流程" />
      ) : (
        <Row gutter={[16, 16]} role="list" aria-label="流程类型">
          {published.map((d) => (
            <Col key={d.definitionId} xs={24} md={12} xl={8} role="listitem">
              <Card
                className="start-card"
                hoverable
                onClick={() => choose(d.definitionId)}
                title={
                  <Space>
                    <FileAddOutlined aria-hidden />
                    <span>{d.name}</span>
                  </Space>
                }
                extra={<Tag>第 {d.publishedVersion} 版</Tag>}
                actions={[
                  <Button
                    key="start"
                    type="link"
                    aria-label={`发起「${d.name}」`}
                    onClick={(e) => {
                      e.stopPropagation();
                      choose(d.definitionId);
                    }}
                  >
                    发起
                  </Button>,
                ]}
              >
                <Typography.Paragraph className="start-card-description" ellipsis={{ rows: 3 }} type="secondary">
                  {d.description || '（无说明）'}
                </Typography.Paragraph>
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </section>
  );
}

function StartFormView({
  definitionId,
  summary,
  onBack,
  referralId,
}: {
  definitionId: string;
  summary: DefinitionSummary | undefined;
  onBack: () => void;
  referralId?: string | null;
}) {
  const navigate = useNavigate();
  const user = useCurrentUser();
  const { message } = AntdApp.useApp();
  // The published version: that is the one an item starts on. (The view is keyed by definitionId: a new choice starts afresh.)
  const version = summary?.publishedVersion ?? undefined;
  const query = useQuery(['start-definition', definitionId, version], async (signal) => {
    const doc = await definitionVersionApi.get<WorkflowDefinition>(definitionId, version, signal);
    if (!doc.meta.isPublished) throw new Error('该流程尚未发布，不能发起');
    return doc.definition;
  });
  const definition = query.data ?? null;
  const start = useMemo(() => (definition ? startFormOf(definition) : null), [definition]);
  const loadError = query.error;
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  // 限定知悉范围 (decision 037): the office chooses it on registration; the procedure's 默认限定知悉范围 ticks it first.
  // An incoming 上级交办 is started as it is: its 知悉范围 is set on the item afterwards if need be.
  const office = isOffice(user) && !referralId;
  const [restriction, setRestriction] = useState<Restriction | null>(null);
  const chosenRestriction: Restriction = restriction ?? {
    restricted: definition?.options?.restricted === true,
    userIds: [],
    unitIds: [],
  };
  const starting = useMutation(
    async (chosen: StartForm, filled: FormValues) => {
      const data = chosen.form
        ? visibleSubmission(chosen.form, filled, { permissions: chosen.permissions, currentData: {}, user })
        : {};
      if (referralId) {
        const started = await referralsApi.start(referralId, definitionId, data);
        return { id: started.itemId ?? '', title: started.title };
      }
      return instancesApi.start({ definitionId, data, restriction: office ? chosenRestriction : null });
    },
    {
      onSuccess: (created) => {
        message.success(`已发起：${created.title}`);
        navigate(created.id ? `/items/${created.id}` : '/referrals', { replace: true });
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 400) {
          const { fields, other } = splitErrors(start?.form, error.fieldErrors);
          setErrors(fields);
          setGeneral(other.length > 0 ? other : Object.keys(fields).length === 0 ? [error.message] : []);
          message.error(error.message);
        } else {
          message.error(errorMessage(error));
        }
      },
    },
  );
  const busy = starting.pending;

  const submit = () => {
    if (!start) return;
    setGeneral([]);
    if (start.form) {
      const found = validateForm(start.form, values, { permissions: start.permissions, currentData: {}, user });
      setErrors(found);
      if (Object.keys(found).length > 0) {
        message.error('表单填写有误，请检查标出的字段');
        requestAnimationFrame(() =>
          document.querySelector('.ant-form-item-has-error')?.scrollIntoView?.({ behavior: 'smooth', block: 'center' }),
        );
        return;
      }
    }
    void starting.run(start, values);
  };

  if (loadError) {
    const notFound = isApiError(loadError) && loadError.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '流程不存在' : '无法发起'}
        subTitle={errorMessage(loadError)}
        extra={<Button onClick={onBack}>返回流程列表</Button>}
      />
    );
  }
  if (!definition || !start) {
    return (
      <div className="page-center">
        <Spin size="large" />
      </div>
    );
  }

  return (
    <section className="start-page" aria-labelledby="start-form-heading">
      <div className="page-back">
        <Button type="link" icon={<ArrowLeftOutlined aria-hidden />} onClick={onBack} className="page-back-button">
          选择其他流程
        </Button>
      </div>
      <header className="page-header-card">
        <div className="page-header-top">
          <Typography.Title level={4} id="start-form-heading" className="page-header-title">
            发起：{definition.name}
          </Typography.Title>
          {definition.version ? <Tag>第 {definition.version} 版</Tag> : null}
        </div>
        {definition.description && (
          <Typography.Paragraph type="secondary" className="start-description">
            {definition.description}
          </Typography.Paragraph>
        )}
      </header>
      {referralId && <ReferralNotice referralId={referralId} />}
      <Card className="page-section" size="small" title={start.form?.name ?? '发起'}>
        {general.length > 0 && (
          <Alert className="page-alert" type="error" showIcon role="alert" message={general.join('；')} />
        )}
        {start.form ? (
          <FormRenderer
            form={start.form}
            values={values}
            onChange={(next) => {
              setErrors((current) => errorsAfterEdit(current, values, next));
              setValues(next);
            }}
            permissions={start.permissions}
            errors={errors}
            original={{}}
            user={user}
          />
        ) : (
          <Typography.Paragraph>该流程没有登记表，直接提交即可发起。</Typography.Paragraph>
        )}
        {office && (
          <div className="start-restriction">
            <RestrictionFields value={chosenRestriction} onChange={setRestriction} />
          </div>
        )}
        <div className="start-actions">
          <Button type="primary" onClick={submit} loading={busy}>
            提交
          </Button>
          <Button onClick={onBack} disabled={busy}>
            取消
          </Button>
        </div>
      </Card>
    </section>
  );
}
