/**
 * 暂定: the deadline falls in a year whose holiday notice (国务院办公厅节假日安排) is not loaded yet. It was counted on
 * the statutory days off alone and is worked out again when the year is loaded. Plain (no antd Tag/Tooltip): it is on
 * the inbox's first screen (docs/decisions/040, addendum); the explanation is the mark's title.
 */
export function ProvisionalMark({ provisional }: { provisional?: boolean | null }) {
  if (!provisional) return null;
  return (
    <span
      className="pl-tag pl-tag-orange provisional-mark"
      data-testid="provisional-mark"
      title="该年度节假日安排尚未导入，期限按法定节假日暂定，导入后自动重新计算"
    >
      暂定
    </span>
  );
}
