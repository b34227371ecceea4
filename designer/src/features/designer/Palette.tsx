import { Typography } from 'antd';
import type { DragEvent } from 'react';
import type { ActivityDescriptor } from '../../shared/flow';

export const ACTIVITY_DRAG_TYPE = 'application/x-duban-activity';

const CATEGORY_ORDER = ['基础', '人工', '督查', '流程控制', '时间', '数据'];

function categoryRank(category: string): number {
  const i = CATEGORY_ORDER.indexOf(category);
  return i < 0 ? CATEGORY_ORDER.length : i;
}

export interface PaletteProps {
  descriptors: readonly ActivityDescriptor[];
  disabled?: boolean;
  /** Keyboard / click alternative to dragging: add at the centre of the view. */
  onAdd: (type: string) => void;
}

/** Node types from GET /api/activities, grouped by category; drag one onto the canvas (or press Enter on it). */
export function Palette({ descriptors, disabled, onAdd }: PaletteProps) {
  const groups = new Map<string, ActivityDescriptor[]>();
  for (const d of [...descriptors].sort((a, b) => categoryRank(a.category) - categoryRank(b.category))) {
    groups.set(d.category, [...(groups.get(d.category) ?? []), d]);
  }
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(ACTIVITY_DRAG_TYPE, type);
    event.dataTransfer.setData('text/plain', type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="designer-palette" aria-label="节点面板">
      <Typography.Text type="secondary" className="designer-palette__hint">
        拖到画布上添加
      </Typography.Text>
      {[...groups].map(([category, list]) => (
        <div key={category} className="designer-palette__group">
          <div className="designer-palette__category">{category}</div>
          {list.map((d) => (
            <div
              key={d.type}
              role="button"
              tabIndex={disabled ? -1 : 0}
              aria-disabled={disabled}
              className={`designer-palette__item designer-palette__item--${categoryRank(d.category)}`}
              draggable={!disabled}
              data-testid={`palette-${d.type}`}
              title={d.description}
              onDragStart={(e) => onDragStart(e, d.type)}
              onDoubleClick={() => !disabled && onAdd(d.type)}
              onKeyDown={(e) => {
                if (!disabled && (e.key === 'Enter' || e.key === ' ')) {
                  e.preventDefault();
                  onAdd(d.type);
                }
              }}
            >
              {d.displayName}
            </div>
          ))}
        </div>
      ))}
    </aside>
  );
}
