import { EMPTY } from '../format';
import { lightInfo } from './light';
import './light.css';

export function LightDot({ color }: { color: string }) {
  return <span className="light-dot" style={{ backgroundColor: color }} aria-hidden="true" />;
}

/** Coloured dot plus 正常 / 临期 / 超期; "—" when the task has no deadline light. */
export function LightIndicator({ light }: { light: string | null | undefined }) {
  const info = lightInfo(light);
  if (!info) return <span className="light-none">{EMPTY}</span>;
  return (
    <span className={`light light-${info.light}`} data-light={info.light}>
      <LightDot color={info.color} />
      <span className="light-label">{info.label}</span>
    </span>
  );
}
