import { DownloadOutlined, FileWordOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Card, Empty, List, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { can, type Viewer } from '../../app/navigation';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { documentLinks, documentsApi } from './documentsApi';

/** Whether the user generates documents and exports the item's file: 督查督办 (the office by default). */
export function mayGenerateDocuments(user: Parameters<typeof can>[0]): boolean {
  return can(user, 'supervise');
}

/**
 * 文书 on the item page: 「生成文书」 from one of the organization's templates (numbered, attached to the item, on its
 * timeline), the documents generated so far as Word and PDF, and 「导出案卷」 (一事一卷).
 */
export function ItemDocumentsCard({
  instanceId,
  viewer,
  reloadToken,
  onGenerated,
}: {
  instanceId: string;
  viewer: Viewer;
  reloadToken: number;
  onGenerated: () => void;
}) {
  const { message } = AntdApp.useApp();
  const allowed = mayGenerateDocuments(viewer);
  const templates = useQuery(allowed ? ['document-templates'] : null, (signal) => documentsApi.templates(signal));
  const documents = useQuery(allowed ? ['item-documents', instanceId, reloadToken] : null, (signal) =>
    documentsApi.ofItem(instanceId, signal),
  );
  const [templateKey, setTemplateKey] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!allowed) return null;
  const pdf = templates.data?.pdfAvailable ?? false;

  const generate = async () => {
    if (!templateKey) return;
    setBusy(true);
    try {
      const document = await documentsApi.generate(instanceId, templateKey);
      message.success(`已生成《${document.templateName}》${document.number ? `，文号 ${document.number}` : ''}`);
      onGenerated();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      className="page-section"
      size="small"
      title="文书"
      data-testid="item-documents"
      extra={
        <Button size="small" icon={<FolderOpenOutlined />} href={documentLinks.archive(instanceId, pdf)}>
          导出案卷
        </Button>
      }
    >
      <Space wrap>
        <Select
          style={{ minWidth: 220 }}
          placeholder={
            templates.data?.templates.length === 0 ? '尚无文书模板（管理员在「文书模板」中设置）' : '选择文书模板'
          }
          value={templateKey}
          onChange={setTemplateKey}
          options={(templates.data?.templates ?? []).map((t) => ({ value: t.key, label: t.name }))}
          data-testid="document-template-select"
        />
        <Button
          type="primary"
          icon={<FileWordOutlined />}
          disabled={!templateKey}
          loading={busy}
          onClick={() => void generate()}
        >
          生成文书
        </Button>
      </Space>
      {(documents.data ?? []).length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未生成文书" />
      ) : (
        <List
          size="small"
          dataSource={documents.data ?? []}
          renderItem={(d) => (
            <List.Item
              actions={[
                <Button key="docx" size="small" icon={<DownloadOutlined />} href={documentLinks.document(d.id)}>
                  Word
                </Button>,
                ...(pdf
                  ? [
                      <Button
                        key="pdf"
                        size="small"
                        icon={<DownloadOutlined />}
                        href={documentLinks.document(d.id, true)}
                      >
                        PDF
                      </Button>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={`${d.templateName}${d.number ? ` ${d.number}` : ''}`}
                description={
                  <Typography.Text type="secondary">{`${d.createdByName ?? ''} ${formatDateTime(d.createdAt)}`}</Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
