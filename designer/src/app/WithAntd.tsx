import { lazy, Suspense, useContext, type ReactNode } from 'react';
import { PageSpinner } from '../shared/plain/Spinner';
import { AntdPresent } from './antdPresence';

// antd (its core alone is ~97 KB gzipped) is not part of the first screen: the shell and the inbox are drawn without it,
// and ConfigProvider (zh_CN) + App come with the first route or dialog that uses antd (docs/decisions/040, addendum).
const loadProviders = () => import('./AppProviders');
const Providers = lazy(() => loadProviders().then((m) => ({ default: m.AppProviders })));

/** Starts loading antd in the background (after the first screen is drawn), so the next page opens at once. */
export function preloadAntd(): void {
  void loadProviders().catch(() => undefined);
}

/**
 * Wraps what uses antd in the app's ConfigProvider and App, loaded on first use. Inside AppProviders already (the unit
 * tests render the app in them): nothing to load.
 */
export function WithAntd({ children, fallback = <PageSpinner /> }: { children: ReactNode; fallback?: ReactNode }) {
  const present = useContext(AntdPresent);
  if (present) return <>{children}</>;
  return (
    <Suspense fallback={fallback}>
      <Providers>{children}</Providers>
    </Suspense>
  );
}
