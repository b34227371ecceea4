import { lazy, Suspense } from 'react';
import { WithAntd } from '../app/WithAntd';

// The status pages draw antd's Result with its illustrations: loaded when one is shown, not with every first screen
// (docs/decisions/040).
const load = () => import('./StatusPages');
const NotFound = lazy(() => load().then((m) => ({ default: m.NotFoundPage })));
const Forbidden = lazy(() => load().then((m) => ({ default: m.ForbiddenPage })));
const RouteError = lazy(() => load().then((m) => ({ default: m.RouteErrorPage })));

export function NotFoundPage() {
  return (
    <Suspense fallback={null}>
      <NotFound />
    </Suspense>
  );
}

export function ForbiddenPage() {
  return (
    <Suspense fallback={null}>
      <Forbidden />
    </Suspense>
  );
}

export function RouteErrorPage() {
  return (
    // Outside the layout (the router's errorElement): antd's providers come with it.
    <WithAntd fallback={null}>
      <Suspense fallback={null}>
        <RouteError />
      </Suspense>
    </WithAntd>
  );
}
