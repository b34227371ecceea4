import { useRef, type KeyboardEvent } from 'react';

interface Props<K extends string> {
  items: readonly { key: K; label: string }[];
  activeKey: K;
  onChange: (key: K) => void;
  label?: string;
}

/** Tabs as antd draws them (a line under the chosen one), with the tablist roles and arrow keys, without antd. */
export function Tabs<K extends string>({ items, activeKey, onChange, label }: Props<K>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + items.length) % items.length;
    refs.current[next]?.focus();
    onChange(items[next].key);
  };
  return (
    <div className="pl-tabs" role="tablist" aria-label={label}>
      {items.map((item, index) => {
        const active = item.key === activeKey;
        return (
          <button
            key={item.key}
            ref={(el) => {
              refs.current[index] = el;
            }}
            type="button"
            role="tab"
            className={active ? 'pl-tab pl-tab-active' : 'pl-tab'}
            aria-selected={active}
            tabIndex={active ? 0 : -1}
            onClick={() => {
              if (!active) onChange(item.key);
            }}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
