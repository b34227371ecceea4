import type { Light } from '../../api/types';

export interface LightInfo {
  light: Light;
  /** 正常 / 临期 / 超期 */
  label: string;
  /** Colour of the dot. */
  color: string;
}

export const LIGHTS: Readonly<Record<Light, LightInfo>> = {
  green: { light: 'green', label: '正常', color: '#52c41a' },
  yellow: { light: 'yellow', label: '临期', color: '#faad14' },
  red: { light: 'red', label: '超期', color: '#f5222d' },
};

export const LIGHT_ORDER: readonly Light[] = ['green', 'yellow', 'red'];

export function isLight(value: unknown): value is Light {
  return value === 'green' || value === 'yellow' || value === 'red';
}

/** Label and colour of a deadline light; null for no light (or an unknown value). */
export function lightInfo(light: string | null | undefined): LightInfo | null {
  return isLight(light) ? LIGHTS[light] : null;
}
