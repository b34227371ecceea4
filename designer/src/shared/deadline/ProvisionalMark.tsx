import { Tag, Tooltip } from 'antd';

/**
 * 暂定: the deadline falls in a year whose holiday notice (国务院办公厅节假日安排) is not loaded yet. It was counted on
 * the statutory days off alone and is worked out again when the year is loaded.
 */
export function ProvisionalMark({ provisional }: { provisional?: boolean | null }) {
  if (!provisional) return null;
  return (
    <Tooltip title="该年度节假日安排尚未导入，期限按法定节假日暂定，导入后自动重新计算">
      <Tag color="orange" className="provisional-mark" data-testid="provisional-mark">
        暂定
      </Tag>
    </Tooltip>
  );
}
