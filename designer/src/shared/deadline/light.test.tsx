import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LightIndicator } from './LightIndicator';
import { lightInfo } from './light';

describe('lightInfo', () => {
  it.each([
    ['green', '正常', '#52c41a'],
    ['yellow', '临期', '#faad14'],
    ['red', '超期', '#f5222d'],
  ] as const)('maps %s to %s', (light, label, color) => {
    expect(lightInfo(light)).toEqual({ light, label, color });
  });

  it('returns null for no light or an unknown value', () => {
    expect(lightInfo(null)).toBeNull();
    expect(lightInfo(undefined)).toBeNull();
    expect(lightInfo('blue')).toBeNull();
  });
});

describe('<LightIndicator>', () => {
  it('shows a coloured dot and the label', () => {
    const { container } = render(<LightIndicator light="red" />);
    expect(screen.getByText('超期')).toBeInTheDocument();
    const dot = container.querySelector('.light-dot') as HTMLElement;
    expect(dot).toHaveStyle({ backgroundColor: '#f5222d' });
    expect(dot).toHaveAttribute('aria-hidden', 'true');
  });

  it('shows — without a light', () => {
    render(<LightIndicator light={null} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
