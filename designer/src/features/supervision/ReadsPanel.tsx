import { EyeOutlined } from '@ant-design/icons';
import { Card, Progress, Tag, Typography } from 'antd';
import { formatDateTime } from '../../shared/format';
import { readStatusLabel, showReads } from './supervision';
import type { ReadsView, ReadView } from './supervisionApi';
import './supervision.css';

function who(r: ReadView): string {
  const parts = [r.unitName, r.userName, r.role].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** 阅知情况: per circulation (参阅 / 阅知 / 抄送), who has read it and who has not. Nothing when the item sent none. */
export function ReadsPanel({ reads }: { reads: ReadsView | null | undefined }) {
  if (!reads || !showReads(reads)) return null;
  return (
    <Card
      className="page-section"
      size="small"
      title={
        <span>
          <EyeOutlined aria-hidden /> 阅知情况
        </span>
      }
      extra={
        <span className="reads-summary" data-testid="reads-summary">
          已阅 {reads.read} / {reads.total}
          {reads.unread > 0 && (
            <Tag color="orange" className="reads-unread-tag">
              {reads.unread} 未阅
            </Tag>
          )}
        </span>
      }
      data-testid="reads-panel"
    >
      {reads.circulations.map((c) => (
        <section
          key={`${c.activityId}-${c.round}-${c.sentAt}`}
          className="reads-circulation"
          aria-label={c.activityName}
        >
          <div className="reads-circulation-head">
            <strong>{c.activityName}</strong>
            {c.round > 1 && <Tag>第 {c.round} 次</Tag>}
            <span className="reads-sent">{formatDateTime(c.sentAt)} 发出</span>
            <Progress
              className="reads-progress"
              percent={c.total === 0 ? 100 : Math.round((c.read / c.total) * 100)}
              size="small"
              format={() => `${c.read}/${c.total}`}
            />
          </div>
          {c.message && (
            <Typography.Paragraph
              className="reads-message"
              type="secondary"
              ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
            >
              {c.message}
            </Typography.Paragraph>
          )}
          <ul className="reads-list">
            {c.recipients.map((r) => {
              const status = readStatusLabel(r.status);
              return (
                <li key={r.taskId} className="reads-row" data-testid="reads-row" data-status={r.status}>
                  <Tag color={status.color}>{status.label}</Tag>
                  <span className="reads-who">{who(r)}</span>
                  {r.status === 'read' && (
                    <span className="reads-when">
                      {r.readByName && r.readByName !== r.userName ? `${r.readByName} · ` : ''}
                      {formatDateTime(r.readAt)}
                    </span>
                  )}
                  {r.comment && <div className="reads-comment">留言：{r.comment}</div>}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </Card>
  );
}
