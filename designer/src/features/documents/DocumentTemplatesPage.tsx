import { DownloadOutlined, EyeOutlined, FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Col,
  Form,
  Input,
  List,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage, request } from '../../api/client';
import type { InstanceSummary, PagedResult } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { documentLinks, documentsApi, groupPlaceholders, type DocumentTemplate } from './documentsApi';

/**
 * 文书模板 (docs/decisions/039): the organization's Word templates. An administrator starts from a shipped one or uploads
 * a .docx in which he typed 「{{占位符}}」 from the list on the right; every change is a new version; a preview fills a
 * template from a real item without numbering or keeping anything.
 */
export default function DocumentTemplatesPage() {
  const { message } = AntdApp.useApp();
  const [reload, setReload] = useState(0);
  const list = useQuery(['document-templates', reload], (signal) => documentsApi.templates(signal));
  const placeholders = useQuery(['document-placeholders'], (signal) => documentsApi.placeholders(signal));
  const [uploading, setUploading] = useState<{ key?: string; name?: string; numberPattern?: string } | null>(null);
  const [versionsOf, setVersionsOf] = useState<DocumentTemplate | null>(null);
  const [previewOf, setPreviewOf] = useState<DocumentTemplate | null>(null);

  useEffect(() => {
    document.title = '文书模板 - 督办';
  }, []);

  const templates = list.data?.templates ?? [];
  const existing = new Set(templates.map((t) => t.shippedKind));
  const pdf = list.data?.pdfAvailable ?? false;

  const fromShipped = async (kind: string) => {
    try {
      const created = await documentsApi.fromShipped(kind);
      message.success(`已创建「${created.name}」第${created.version}版`);
      setReload((n) => n + 1);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <section className="page">
      <Typography.Title level={3}>文书模板</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card
            className="page-section"
            size="small"
            title="本单位的文书模板"
            extra={
              <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading({})}>
                上传模板
              </Button>
            }
          >
            {list.error ? <Alert type="error" showIcon message={errorMessage(list.error)} /> : null}
            <Table<DocumentTemplate>
              rowKey="key"
              size="small"
              loading={list.loading}
              dataSource={templates}
              pagination={false}
              data-testid="document-templates"
              columns={[
                { title: '名称', dataIndex: 'name', render: (name: string) => <strong>{name}</strong> },
                { title: '版本', dataIndex: 'version', render: (v: number) => `第${v}版` },
                {
                  title: '文号规则',
                  dataIndex: 'numberPattern',
                  render: (p?: string | null) => p ?? <Typography.Text type="secondary">不编文号</Typography.Text>,
                },
                { title: '更新', render: (_, t) => `${t.createdByName ?? ''} ${formatDateTime(t.createdAt)}` },
                {
                  title: '操作',
                  render: (_, t) => (
                    <Space wrap size={4}>
                      <Button size="small" icon={<DownloadOutlined />} href={documentLinks.templateFile(t.id)}>
                        下载
                      </Button>
                      <Button size="small" icon={<EyeOutlined />} onClick={() => setPreviewOf(t)}>
                        预览
                      </Button>
                      <Button
                        size="small"
                        onClick={() => setUploading({ key: t.key, name: t.name, numberPattern: t.numberPattern ?? '' })}
                      >
                        新版本
                      </Button>
                      <Button size="small" onClick={() => setVersionsOf(t)}>
                        历史版本
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
          <Card className="page-section" size="small" title="从内置模板开始">
            <List
              size="small"
              dataSource={list.data?.shipped ?? []}
              renderItem={(s) => (
                <List.Item
                  actions={[
                    <Button key="use" size="small" icon={<FileWordOutlined />} onClick={() => void fromShipped(s.kind)}>
                      {existing.has(s.kind) ? '恢复为内置版本' : '使用'}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta title={`${s.name}（${s.numberPattern}）`} description={s.description} />
                </List.Item>
              )}
            />
            {!pdf && (
              <Alert
                type="info"
                showIcon
                message="服务器未安装 LibreOffice：文书只能下载 Word 版。安装 libreoffice-writer-nogui 后可下载 PDF。"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card className="page-section" size="small" title="占位符（在 Word 中输入「{{名称}}」）">
            <Typography.Paragraph type="secondary">
              表格中某一行写「{'{{子表名.列名}}'}」时，该行按子表每行重复一次；「{'{{序号}}'}」为行号。
            </Typography.Paragraph>
            {groupPlaceholders(placeholders.data?.placeholders ?? []).map(({ group, items }) => (
              <div key={group} className="page-section">
                <Typography.Text strong>{group}</Typography.Text>
                <div>
                  {items.map((p) => (
                    <Tag key={`${group}-${p.name}`} title={p.description} style={{ marginTop: 4 }}>
                      {`{{${p.name}}}`}
                    </Tag>
                  ))}
                </div>
              </div>
            ))}
          </Card>
        </Col>
      </Row>
      {uploading && (
        <UploadDialog
          initial={uploading}
          onClose={(saved) => {
            setUploading(null);
            if (saved) setReload((n) => n + 1);
          }}
        />
      )}
      {versionsOf && <VersionsDialog template={versionsOf} onClose={() => setVersionsOf(null)} />}
      {previewOf && <PreviewDialog template={previewOf} pdf={pdf} onClose={() => setPreviewOf(null)} />}
    </section>
  );
}

function UploadDialog({
  initial,
  onClose,
}: {
  initial: { key?: string; name?: string; numberPattern?: string };
  onClose: (saved: boolean) => void;
}) {
  const { message } = AntdApp.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; numberPattern: string }>();

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const saved = file
        ? await documentsApi.upload(file, { ...values, key: initial.key })
        : initial.key
          ? await documentsApi.saveSettings(initial.key, values.name, values.numberPattern ?? '')
          : null;
      if (!saved) {
        message.error('请选择 Word 模板文件（.docx）');
        return;
      }
      message.success(`已保存「${saved.name}」第${saved.version}版`);
      onClose(true);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={initial.key ? `「${initial.name}」新版本` : '上传文书模板'}
      okText="保存"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={() => onClose(false)}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: initial.name ?? '', numberPattern: initial.numberPattern ?? '' }}
      >
        <Form.Item name="name" label="文书名称" rules={[{ required: true, message: '请填写文书名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="numberPattern" label="文号规则" extra="例如 督通〔{year}〕{seq}号；留空则不编文号">
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item label="模板文件（.docx）" extra={initial.key ? '不选文件则沿用当前版本的文件' : undefined}>
          <Upload
            accept=".docx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function VersionsDialog({ template, onClose }: { template: DocumentTemplate; onClose: () => void }) {
  const versions = useQuery(['document-template-versions', template.key], (signal) =>
    documentsApi.versions(template.key, signal),
  );
  return (
    <Modal open title={`「${template.name}」历史版本`} footer={null} onCancel={onClose} width={720}>
      <Table<DocumentTemplate>
        rowKey="id"
        size="small"
        loading={versions.loading}
        dataSource={versions.data ?? []}
        pagination={false}
        columns={[
          { title: '版本', dataIndex: 'version', render: (v: number) => `第${v}版` },
          { title: '名称', dataIndex: 'name' },
          { title: '文号规则', dataIndex: 'numberPattern' },
          { title: '保存', render: (_, t) => `${t.createdByName ?? ''} ${formatDateTime(t.createdAt)}` },
          {
            title: '',
            render: (_, t) => (
              <Button size="small" href={documentLinks.templateFile(t.id)} icon={<DownloadOutlined />}>
                下载
              </Button>
            ),
          },
        ]}
      />
    </Modal>
  );
}

function PreviewDialog({ template, pdf, onClose }: { template: DocumentTemplate; pdf: boolean; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [instanceId, setInstanceId] = useState<string>();
  const items = useQuery(['document-preview-items', q], (signal) =>
    request<PagedResult<InstanceSummary>>('GET', '/api/instances', { query: { q, pageSize: 20 }, signal }),
  );
  return (
    <Modal open title={`预览「${template.name}」`} footer={null} onCancel={onClose}>
      <Typography.Paragraph type="secondary">选一个事项，按它的内容填入模板（不编文号、不保存）。</Typography.Paragraph>
      <Select
        showSearch
        filterOption={false}
        onSearch={setQ}
        style={{ width: '100%' }}
        placeholder="输入事项标题或编号查找"
        value={instanceId}
        onChange={setInstanceId}
        loading={items.loading}
        options={(items.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.number ?? ''} ${i.title}` }))}
        data-testid="preview-item"
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={!instanceId}
          href={instanceId ? documentLinks.preview(template.id, instanceId) : undefined}
        >
          下载预览（Word）
        </Button>
        {pdf && (
          <Button
            disabled={!instanceId}
            href={instanceId ? documentLinks.preview(template.id, instanceId, true) : undefined}
          >
            下载预览（PDF）
          </Button>
        )}
      </Space>
    </Modal>
  );
}
