import { LeftOutlined, RightOutlined } from '@ant-design/icons';

export interface PaginationProps {
  current: number;
  pageSize: number;
  total: number;
  pageSizes: readonly number[];
  /** "共 N 条" (or a lower bound): omitted on a phone. */
  showTotal?: (total: number) => string;
  /** A phone: ‹ n / m ›, no page size. */
  simple?: boolean;
  onChange: (page: number, pageSize: number) => void;
}

/** Page numbers to show: the first, the last, the current one and two either side, "…" between (as antd does). */
export function pageItems(current: number, pages: number): (number | 'prev-more' | 'next-more')[] {
  if (pages <= 9) return Array.from({ length: pages }, (_, i) => i + 1);
  const from = Math.max(2, Math.min(current - 2, pages - 5));
  const to = Math.min(pages - 1, Math.max(current + 2, 6));
  const items: (number | 'prev-more' | 'next-more')[] = [1];
  if (from > 2) items.push('prev-more');
  for (let n = from; n <= to; n++) items.push(n);
  if (to < pages - 1) items.push('next-more');
  items.push(pages);
  return items;
}

/** antd's Pagination as the inbox uses it, without antd: 共 N 条, ‹ 1 2 … ›, and N 条/页. */
export function Pagination({ current, pageSize, total, pageSizes, showTotal, simple, onChange }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const prev = (
    <li>
      <button
        type="button"
        className="pl-page-step"
        aria-label="上一页"
        title="上一页"
        disabled={current <= 1}
        onClick={() => onChange(current - 1, pageSize)}
      >
        <LeftOutlined aria-hidden />
      </button>
    </li>
  );
  const next = (
    <li>
      <button
        type="button"
        className="pl-page-step"
        aria-label="下一页"
        title="下一页"
        disabled={current >= pages}
        onClick={() => onChange(current + 1, pageSize)}
      >
        <RightOutlined aria-hidden />
      </button>
    </li>
  );
  if (simple) {
    return (
      <nav className="pl-pagination pl-pagination-simple" aria-label="分页">
        <ul>
          {prev}
          <li className="pl-page-simple" aria-current="page">
            {current} / {pages}
          </li>
          {next}
        </ul>
      </nav>
    );
  }
  return (
    <nav className="pl-pagination" aria-label="分页">
      <ul>
        {showTotal && <li className="pl-page-total">{showTotal(total)}</li>}
        {prev}
        {pageItems(current, pages).map((item) =>
          typeof item === 'number' ? (
            <li key={item}>
              <button
                type="button"
                className={item === current ? 'pl-page pl-page-active' : 'pl-page'}
                aria-current={item === current ? 'page' : undefined}
                title={String(item)}
                onClick={() => item !== current && onChange(item, pageSize)}
              >
                {item}
              </button>
            </li>
          ) : (
            <li key={item}>
              <button
                type="button"
                className="pl-page pl-page-more"
                title={item === 'prev-more' ? '向前 5 页' : '向后 5 页'}
                onClick={() =>
                  onChange(item === 'prev-more' ? Math.max(1, current - 5) : Math.min(pages, current + 5), pageSize)
                }
              >
                •••
              </button>
            </li>
          ),
        )}
        {next}
        <li>
          <select
            className="pl-input pl-page-size"
            aria-label="每页条数"
            value={pageSize}
            onChange={(event) => onChange(1, Number(event.target.value))}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size} 条/页
              </option>
            ))}
          </select>
        </li>
      </ul>
    </nav>
  );
}
