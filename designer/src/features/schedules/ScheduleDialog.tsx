import { Alert, Form, Input, Modal, Select, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { definitionVersionApi, errorMessage, isApiError } from '../../api/client';
import { can } from '../../app/navigation';
import type { WorkflowDefinition } from '../../shared/flow/types';
import { FormRenderer } from '../../shared/forms/FormRenderer';
import { errorsAfterEdit, splitErrors } from '../../shared/forms/logic';
import type { FieldErrors, FormValues } from '../../shared/forms/types';
import { matchServerErrors } from '../../shared/formErrors';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import { useDefinitions } from '../inbox/useInboxData';
import { orgApi } from '../org/orgApi';
import { startFormOf } from '../start/startForm';
import { RuleEditor } from './RuleEditor';
import { schedulesApi, type Schedule, type ScheduleRule } from './schedulesApi';

interface Values {
  name?: string;
  definitionId?: string;
  rule?: ScheduleRule | null;
  startAsUserId?: string;
}

/**
 * Who an item may be started as (decision 026): an active person whose roles read every item (查看全部事项 — by default
 * 督查员 and 领导). Roles are the organization's data (decision 049), so the starter roles are read from its role list.
 */
function starterRoles(roles: readonly { name: string; permissions: readonly string[] }[] | undefined): Set<string> {
  return new Set((roles ?? []).filter((r) => r.permissions.includes('seeAllItems')).map((r) => r.name));
}

/**
 * 新建 / 编辑定期任务: name, procedure, rule (pickers), who it starts as, and the start form's values entered through the
 * procedure's own start form — no JSON.
 */
export function ScheduleDialog({
  schedule,
  onClose,
  onSaved,
}: {
  /** The schedule to edit; null for a new one. */
  schedule: Schedule | null;
  onClose: () => void;
  onSaved: (saved: Schedule) => void;
}) {
  const user = useCurrentUser();
  const [form] = Form.useForm<Values>();
  const definitionId = Form.useWatch('definitionId', form) ?? schedule?.definitionId;
  const { definitions, loading: definitionsLoading } = useDefinitions();
  const published = definitions.filter((d) => d.publishedVersion != null);
  const summary = published.find((d) => d.definitionId === definitionId);
  const users = useQuery(['schedule-starters'], (signal) => orgApi.users(signal));
  const roleList = useQuery(['schedule-starter-roles'], (signal) => orgApi.roleDefinitions(signal));
  const startingRoles = starterRoles(roleList.data?.roles);
  const starters = (users.data ?? []).filter((u) => u.isActive && u.roles.some((r) => startingRoles.has(r)));
  const definition = useQuery(
    definitionId && summary ? ['schedule-definition', definitionId, summary.publishedVersion] : null,
    async (signal) =>
      (
        await definitionVersionApi.get<WorkflowDefinition>(
          definitionId!,
          summary!.publishedVersion ?? undefined,
          signal,
        )
      ).definition,
  );
  const start = useMemo(() => (definition.data ? startFormOf(definition.data) : null), [definition.data]);
  const [defaults, setDefaults] = useState<FormValues>((schedule?.defaults as FormValues | undefined) ?? {});
  const [defaultErrors, setDefaultErrors] = useState<FieldErrors>({});
  const [ruleErrors, setRuleErrors] = useState<string[]>([]);
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setGeneral([]);
    setRuleErrors([]);
    setDefaultErrors({});
    const body = {
      name: values.name ?? null,
      definitionId: values.definitionId ?? null,
      rule: values.rule ?? null,
      defaults: defaults as Record<string, never>,
      startAsUserId: values.startAsUserId ?? null,
    };
    try {
      const saved = schedule ? await schedulesApi.update(schedule.id, body) : await schedulesApi.create(body);
      onSaved(saved);
    } catch (error) {
      if (isApiError(error) && error.hasFieldErrors) {
        const rule: string[] = [];
        const fromForm: Record<string, string[]> = {};
        const rest: Record<string, string[]> = {};
        for (const [key, messages] of Object.entries(error.fieldErrors)) {
          if (key.toLowerCase().startsWith('rule')) rule.push(...messages);
          else if (key.toLowerCase().startsWith('defaults.')) fromForm[key.slice('defaults.'.length)] = messages;
          else rest[key] = messages;
        }
        setRuleErrors(rule);
        const split = splitErrors(start?.form, fromForm);
        setDefaultErrors(split.fields);
        const matched = matchServerErrors(rest, ['name', 'definitionId', 'startAsUserId']);
        form.setFields(
          (['name', 'definitionId', 'startAsUserId'] as const).map((name) => ({
            name,
            errors: matched.fields[name] ?? [],
          })),
        );
        const other = [...split.other, ...matched.rest];
        setGeneral(other.length > 0 ? other : [error.message]);
      } else {
        setGeneral([errorMessage(error)]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={schedule ? `编辑定期任务：${schedule.name}` : '新建定期任务'}
      okText="保存"
      cancelText="取消"
      onOk={save}
      onCancel={onClose}
      confirmLoading={busy}
      width={720}
      destroyOnHidden
    >
      {general.length > 0 && (
        <Alert type="error" showIcon role="alert" message={general.join('；')} style={{ marginBottom: 12 }} />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          name: schedule?.name,
          definitionId: schedule?.definitionId,
          rule: schedule?.rule ?? null,
          startAsUserId: schedule?.startAsUserId ?? (can(user, 'seeAllItems') ? user?.id : undefined),
        }}
      >
        <Form.Item name="name" label="任务名称" rules={[{ required: true, message: '请填写任务名称' }]}>
          <Input maxLength={200} placeholder="如：重大议定事项周督查" />
        </Form.Item>
        <Form.Item
          name="definitionId"
          label="发起的流程"
          rules={[{ required: true, message: '请选择要定期发起的流程' }]}
        >
          <Select
            loading={definitionsLoading}
            placeholder="选择已发布的流程"
            options={published.map((d) => ({ value: d.definitionId, label: d.name }))}
            onChange={() => {
              setDefaults({});
              setDefaultErrors({});
            }}
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item name="rule" label="重复方式" required>
          <RuleEditor errors={ruleErrors} />
        </Form.Item>
        <Form.Item
          name="startAsUserId"
          label="以谁的名义发起"
          rules={[{ required: true, message: '请选择以谁的名义发起' }]}
        >
          <Select
            loading={users.loading || roleList.loading}
            placeholder="督查员、领导或管理员"
            options={starters.map((u) => ({ value: u.id, label: `${u.displayName}（${u.unitName ?? '无单位'}）` }))}
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
      </Form>
      <Typography.Title level={5}>发起表单的内容</Typography.Title>
      {!definitionId ? (
        <Typography.Text type="secondary">选择流程后在此填写每次发起时的表单内容。</Typography.Text>
      ) : definition.loading || !start ? (
        <Spin />
      ) : start.form ? (
        <FormRenderer
          form={start.form}
          values={defaults}
          onChange={(next) => {
            setDefaultErrors((current) => errorsAfterEdit(current, defaults, next));
            setDefaults(next);
          }}
          permissions={start.permissions}
          errors={defaultErrors}
          original={{}}
          user={user}
        />
      ) : (
        <Typography.Text type="secondary">该流程没有发起表单。</Typography.Text>
      )}
    </Modal>
  );
}
