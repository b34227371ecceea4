/** jsdom viewport width used by the matchMedia mock in setup.ts. */
export function setViewportWidth(width: number) {
  Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: width });
}
