import { Empty, Switch, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { TimelineEntry } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import { timelineLines } from './timeline';
import './item.css';

/** The item's journal as a vertical timeline, newest last; bookkeeping lines behind a switch. */
export function ItemTimeline({ entries, reverse = false }: { entries: readonly TimelineEntry[]; reverse?: boolean }) {
  const [showSystem, setShowSystem] = useState(false);
  const lines = useMemo(() => {
    const list = timelineLines(entries, showSystem);
    return reverse ? [...list].reverse() : list;
  }, [entries, showSystem, reverse]);

  return (
    <div className="item-timeline" data-testid="item-timeline">
      <div className="item-timeline-toolbar">
        <label className="item-timeline-switch">
          <Switch size="small" checked={showSystem} onChange={setShowSystem} aria-label="显示系统记录" />
          <span>显示系统记录</span>
        </label>
      </div>
      {lines.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />
      ) : (
        <Timeline
          items={lines.map((line) => ({
            key: line.id,
            color: line.color,
            children: (
              <div className="timeline-line">
                <div className="timeline-title">
                  <span className="timeline-what">{line.title}</span>
                  {line.actor && <span className="timeline-actor">{line.actor}</span>}
                </div>
                <div className="timeline-at">{formatDateTime(line.at)}</div>
                {line.detail && (
                  <Typography.Paragraph
                    className="timeline-detail"
                    ellipsis={{ rows: 4, expandable: true, symbol: '展开' }}
                  >
                    {line.detail}
                  </Typography.Paragraph>
                )}
              </div>
            ),
          }))}
        />
      )}
    </div>
  );
}
