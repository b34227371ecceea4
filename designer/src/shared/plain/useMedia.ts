import { useCallback, useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now, following changes (the shell's and the inbox's breakpoints, without antd). */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener?.('change', onChange);
      return () => list.removeEventListener?.('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** Below antd's md breakpoint (768 px): the phone layout. */
export function useIsPhone(): boolean {
  return useMedia('(max-width: 767.98px)');
}
