import '@testing-library/jest-dom/vitest';
import '@ant-design/v5-patch-for-react-19';
import { configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { setViewportWidth } from './viewport';

/**
 * jsdom has no matchMedia; antd's Grid.useBreakpoint needs it. Evaluate
 * min-width / max-width queries against window.innerWidth so tests can switch
 * between desktop (default 1366) and phone (setViewportWidth(375)).
 */
function evaluateQuery(query: string): boolean {
  const width = window.innerWidth;
  const min = /min-width:\s*([\d.]+)px/.exec(query);
  const max = /max-width:\s*([\d.]+)px/.exec(query);
  if (min && width < Number(min[1])) return false;
  if (max && width > Number(max[1])) return false;
  return Boolean(min || max);
}

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  configurable: true,
  value: (query: string): MediaQueryList => ({
    matches: evaluateQuery(query),
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

// jsdom doesn't implement getComputedStyle(el, pseudoElt); antd asks for it
// (scrollbar measurement). Ignore the pseudo element instead of logging errors.
const originalGetComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => originalGetComputedStyle(element);

setViewportWidth(1366);

// antd renders slowly in jsdom (CSS-in-JS); lazy routes add a tick or two.
configure({ asyncUtilTimeout: 10000 });

afterEach(() => {
  setViewportWidth(1366);
  vi.unstubAllGlobals();
});
