import { Drawer, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { definitionsApi } from '../../shared/flow/definitionsApi';
import type { DefinitionVersion } from '../../shared/flow';

/** Version history: every saved version, published or draft; old ones open read-only. */
export function VersionsDrawer({
  open,
  definitionId,
  currentVersion,
  onClose,
}: {
  open: boolean;
  definitionId: string;
  currentVersion: number;
  onClose: () => void;
}) {
  const loaded = useQuery(open ? ['versions', definitionId, currentVersion] : null, (signal) =>
    definitionsApi.versions(definitionId, signal),
  );
  const versions = loaded.data ?? null;
  const error = loaded.error ? errorMessage(loaded.error) : null;
  const base = `/designer/${encodeURIComponent(definitionId)}`;
  return (
    <Drawer title="版本历史" open={open} onClose={onClose} width={520} destroyOnHidden>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Table<DefinitionVersion>
        size="small"
        rowKey="id"
        loading={loaded.loading}
        dataSource={versions ?? []}
        pagination={false}
        columns={[
          {
            title: '版本',
            dataIndex: 'version',
            width: 70,
            render: (v: number) =>
              v === currentVersion ? <Typography.Text strong>第 {v} 版</Typography.Text> : `第 ${v} 版`,
          },
          {
            title: '状态',
            width: 110,
            render: (_, v) => (
              <>
                {v.isPublished ? <Tag color="green">已发布</Tag> : <Tag color="orange">草稿</Tag>}
                {v.isLatest && <Tag>最新</Tag>}
              </>
            ),
          },
          { title: '更新时间', dataIndex: 'updatedAt', render: (t: string) => formatDateTime(t) },
          {
            title: '',
            width: 64,
            render: (_, v) =>
              v.isLatest ? (
                <Link to={base} onClick={onClose}>
                  编辑
                </Link>
              ) : (
                <Link to={`${base}?version=${v.version}`} onClick={onClose}>
                  查看
                </Link>
              ),
          },
        ]}
      />
    </Drawer>
  );
}
