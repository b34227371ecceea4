import { FormOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import type { DefinitionSummary } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { definitionsApi } from '../../shared/flow/definitionsApi';
import { readJsonFile } from './files';
import { DEFINITION_ID_PATTERN, newProcedure, suggestDefinitionId } from './newProcedure';
import './designer.css';

type Row = Required<DefinitionSummary>;

/** 流程设计: the procedure types with their versions; create, import, open. */
export default function ProcedureListPage() {
  const { message, modal } = AntdApp.useApp();
  const navigate = useNavigate();
  const list = useQuery(['definitions'], (signal) => definitionsApi.list(signal));
  const rows: Row[] | null = list.data ?? null;
  const error = list.error ? errorMessage(list.error) : null;
  const [creating, setCreating] = useState(false);

  const importFile = async () => {
    try {
      const json = await readJsonFile();
      if (!json) return;
      const m = await definitionsApi.import(json, false);
      message.success(`已导入「${m.name}」为第 ${m.version} 版草稿`);
      navigate(`/designer/${encodeURIComponent(m.definitionId)}`);
    } catch (e) {
      // An Elsa file with nodes Duban cannot run: the server names each node (docs/decisions/030).
      if (isApiError(e) && e.hasFieldErrors) {
        modal.error({
          title: '导入失败：以下节点督办无法运行',
          width: 640,
          content: (
            <ul className="import-problems" data-testid="import-problems">
              {Object.values(e.fieldErrors)
                .flat()
                .map((m) => (
                  <li key={m}>{m}</li>
                ))}
            </ul>
          ),
        });
        return;
      }
      message.error(`导入失败：${errorMessage(e)}`);
    }
  };

  return (
    <div className="procedure-list">
      <Card
        title="流程设计"
        extra={
          <Space>
            <Button icon={<UploadOutlined />} onClick={() => void importFile()}>
              导入 JSON（督办 / Elsa 3）
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建流程
            </Button>
          </Space>
        }
      >
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
        <Table<Row>
          rowKey="definitionId"
          loading={list.loading}
          dataSource={rows ?? []}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[
            {
              title: '流程名称',
              dataIndex: 'name',
              render: (name: string, r) => (
                <Space direction="vertical" size={0}>
                  <Link to={`/designer/${encodeURIComponent(r.definitionId)}`}>{name}</Link>
                  <Typography.Text type="secondary" className="procedure-list__id">
                    {r.definitionId}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: '版本',
              width: 220,
              render: (_, r) => (
                <Space size={4} wrap>
                  {r.publishedVersion ? <Tag color="green">已发布 第 {r.publishedVersion} 版</Tag> : <Tag>未发布</Tag>}
                  {r.hasDraft && <Tag color="orange">草稿 第 {r.latestVersion} 版</Tag>}
                </Space>
              ),
            },
            { title: '说明', dataIndex: 'description', ellipsis: true, render: (d: string | null) => d ?? '' },
            { title: '更新时间', dataIndex: 'updatedAt', width: 160, render: (t: string) => formatDateTime(t) },
            {
              title: '操作',
              width: 150,
              render: (_, r) => (
                <Space size={4}>
                  <Link to={`/designer/${encodeURIComponent(r.definitionId)}`}>设计</Link>
                  <Link to={`/forms?definition=${encodeURIComponent(r.definitionId)}`}>
                    <FormOutlined /> 表单
                  </Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <NewProcedureModal
        open={creating}
        existing={(rows ?? []).map((r) => r.definitionId)}
        onClose={() => setCreating(false)}
        onCreated={(id) => navigate(`/designer/${encodeURIComponent(id)}`)}
      />
    </div>
  );
}

function NewProcedureModal({
  open,
  existing,
  onClose,
  onCreated,
}: {
  open: boolean;
  existing: string[];
  onClose: () => void;
  onCreated: (definitionId: string) => void;
}) {
  const [form] = Form.useForm<{ name: string; definitionId: string; description?: string }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ name: '', definitionId: suggestDefinitionId(), description: '' });
  }, [open, form]);
  const create = useMutation(
    async (definitionId: string, name: string, description?: string) => {
      await definitionsApi.saveDraft(newProcedure(definitionId, name, description));
      return definitionId;
    },
    {
      onSuccess: (definitionId) => {
        onClose();
        onCreated(definitionId);
      },
      onError: (e) => {
        if (isApiError(e)) {
          form.setFields(
            Object.keys(e.fieldErrors)
              .filter((k) => ['name', 'definitionId'].includes(k))
              .map((k) => ({ name: k as 'name' | 'definitionId', errors: e.errorsFor(k) })),
          );
        }
        if (!isApiError(e) || !e.hasFieldErrors) Modal.error({ title: '新建失败', content: errorMessage(e) });
      },
    },
  );
  const submit = async () => {
    const values = await form.validateFields();
    await create.run(values.definitionId.trim(), values.name.trim(), values.description?.trim());
  };
  return (
    <Modal
      title="新建流程"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="创建"
      confirmLoading={create.pending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          name="name"
          label="流程名称"
          rules={[{ required: true, whitespace: true, message: '请填写流程名称' }, { max: 200 }]}
        >
          <Input aria-label="流程名称" placeholder="例如：领导批示件办理" autoFocus />
        </Form.Item>
        <Form.Item
          name="definitionId"
          label="流程标识"
          extra="字母、数字、- 和 _；创建后不能修改"
          rules={[
            { required: true, message: '请填写流程标识' },
            { pattern: DEFINITION_ID_PATTERN, message: '只能包含字母、数字、- 和 _，且不超过 100 个字符' },
            {
              validator: (_, v: string) =>
                existing.includes(v?.trim()) ? Promise.reject(new Error('该标识已被使用')) : Promise.resolve(),
            },
          ]}
        >
          <Input aria-label="流程标识" />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea aria-label="说明" rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
