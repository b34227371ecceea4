import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProvisionalMark } from './ProvisionalMark';

describe('the provisional mark', () => {
  it('shows 暂定 for a deadline in a year not loaded, and nothing otherwise', () => {
    const { rerender } = render(<ProvisionalMark provisional />);
    expect(screen.getByTestId('provisional-mark')).toHaveTextContent('暂定');
    rerender(<ProvisionalMark provisional={false} />);
    expect(screen.queryByTestId('provisional-mark')).toBeNull();
  });
});
