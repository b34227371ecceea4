import '@testing-library/jest-dom/vitest';
import '@ant-design/v5-patch-for-react-19';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeAll, vi } from 'vitest';
import { setViewportWidth } from './viewport';

/**
 * The test files of a worker share one jsdom window and the libraries of node_modules (vite.config.ts: isolate off):
 * loading antd, React and jsdom again for every file took most of the suite's processor time. Each file still gets the
 * application's own modules afresh — their module-level caches (the directory, roles, attachment limits …) and the
 * modules a file mocks — because this file, which runs before each test file, forgets every evaluated module under
 * src/ first (what isolation did for them). If vitest's worker state is not shaped as expected (a vitest upgrade), it
 * fails loudly rather than let files share state.
 */
const srcDir = new URL('..', import.meta.url).pathname;
type EvaluatedModule = { id?: string; file?: string | null };
type EvaluatedModules = {
  idToModuleMap: Map<string, EvaluatedModule>;
  invalidateModule: (node: EvaluatedModule) => void;
};
const evaluated = (globalThis as { __vitest_worker__?: { evaluatedModules?: EvaluatedModules } }).__vitest_worker__
  ?.evaluatedModules;
if (!(evaluated?.idToModuleMap instanceof Map) || typeof evaluated.invalidateModule !== 'function') {
  throw new Error(
    'src/test/setup.ts: vitest keeps its evaluated modules differently now; the application modules cannot be ' +
      'loaded afresh per file. Set test.isolate back to true in vite.config.ts.',
  );
}
for (const [id, node] of evaluated.idToModuleMap) {
  const path = node.file ?? id;
  if (id.includes(srcDir) && !path.endsWith('/src/test/setup.ts')) evaluated.invalidateModule(node);
}

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
// (Wrapped once per window: the files of a worker share one.)
const wrapped = window.getComputedStyle as typeof window.getComputedStyle & { pseudoIgnored?: true };
if (!wrapped.pseudoIgnored) {
  const originalGetComputedStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = Object.assign((element: Element) => originalGetComputedStyle(element), {
    pseudoIgnored: true as const,
  });
}

setViewportWidth(1366);

// antd renders slowly in jsdom (CSS-in-JS); lazy routes add a tick or two.
configure({ asyncUtilTimeout: 10000 });

// What a file leaves in the shared window, put back as a fresh window has it: each file starts on an empty page with
// empty storage and real timers, and Testing Library's cleanup runs after every test (its own afterEach is registered
// only by the first file of a worker that imports it).
beforeAll(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
  localStorage.clear();
  sessionStorage.clear();
});

afterEach(() => {
  cleanup();
  setViewportWidth(1366);
  vi.unstubAllGlobals();
});
