import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { useQuery } from './useQuery';
import { useMutation } from './useMutation';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useQuery', () => {
  it('loads, keeps the data while the next key loads, and aborts the request it replaces', async () => {
    const signals: AbortSignal[] = [];
    const answers = [deferred<string>(), deferred<string>(), deferred<string>()];
    let call = 0;
    const { result, rerender } = renderHook(
      ({ id }) =>
        useQuery(['item', id], (signal) => {
          signals.push(signal);
          return answers[call++].promise;
        }),
      { initialProps: { id: 1 } },
    );
    expect(result.current.loading).toBe(true);
    await act(async () => answers[0].resolve('一'));
    expect(result.current).toMatchObject({ data: '一', loading: false, error: null });

    rerender({ id: 2 });
    expect(result.current).toMatchObject({ data: '一', loading: true });
    rerender({ id: 3 });
    expect(signals[1].aborted).toBe(true);
    await act(async () => answers[1].resolve('二（已放弃）'));
    expect(result.current.loading).toBe(true);
    await act(async () => answers[2].resolve('三'));
    expect(result.current).toMatchObject({ data: '三', loading: false });
  });

  it('reports a failure, loads again on reload, aborts on unmount and loads nothing for a null key', async () => {
    const load = vi
      .fn<(signal: AbortSignal) => Promise<number>>()
      .mockRejectedValueOnce(new ApiError(404, { title: '未找到', detail: '事项不存在' }))
      .mockResolvedValueOnce(7)
      .mockImplementation(() => new Promise(() => {}));
    const { result, unmount } = renderHook(() => useQuery(['n'], load));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect((result.current.error as ApiError).message).toBe('事项不存在');

    act(() => result.current.reload());
    await waitFor(() => expect(result.current.data).toBe(7));
    expect(result.current.error).toBeNull();

    act(() => result.current.reload());
    const signal = load.mock.calls[2][0];
    unmount();
    expect(signal.aborted).toBe(true);

    const idle = vi.fn();
    const { result: none } = renderHook(() => useQuery(null, idle));
    expect(none.current.loading).toBe(false);
    expect(idle).not.toHaveBeenCalled();
  });

  it('takes data set by hand (after a mutation) without a request', async () => {
    const load = vi.fn(async () => ['甲']);
    const { result } = renderHook(() => useQuery(['list'], load));
    await waitFor(() => expect(result.current.data).toEqual(['甲']));
    act(() => result.current.setData((list) => [...(list ?? []), '乙']));
    expect(result.current.data).toEqual(['甲', '乙']);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('useMutation', () => {
  it('is pending while it runs, ignores a second run meanwhile, and keeps the failure', async () => {
    const answer = deferred<string>();
    const mutate = vi.fn(() => answer.promise);
    const onSuccess = vi.fn();
    const { result } = renderHook(() => useMutation(mutate, { onSuccess }));
    let first!: Promise<string | undefined>;
    act(() => {
      first = result.current.run();
    });
    expect(result.current.pending).toBe(true);
    await act(async () => {
      expect(await result.current.run()).toBeUndefined();
    });
    expect(mutate).toHaveBeenCalledTimes(1);
    await act(async () => answer.resolve('好'));
    expect(await first).toBe('好');
    expect(onSuccess).toHaveBeenCalledWith('好');
    expect(result.current.pending).toBe(false);

    const onError = vi.fn();
    const failing = renderHook(() => useMutation(async () => Promise.reject(new ApiError(409)), { onError }));
    await act(async () => {
      expect(await failing.result.current.run()).toBeUndefined();
    });
    expect((failing.result.current.error as ApiError).status).toBe(409);
    expect(onError).toHaveBeenCalledTimes(1);
    act(() => failing.result.current.reset());
    expect(failing.result.current.error).toBeNull();
  });
});
