/** A spinning ring in the primary colour, like antd's Spin, without antd (the first screen, docs/decisions/040). */
export function Spinner({
  size = 'default',
  label = '加载中',
}: {
  size?: 'small' | 'default' | 'large';
  label?: string;
}) {
  return <span className={`pl-spin pl-spin-${size}`} role="status" aria-label={label} />;
}

/** A page's loading state: the spinner in the middle. */
export function PageSpinner() {
  return (
    <div className="page-center">
      <Spinner size="large" />
    </div>
  );
}
