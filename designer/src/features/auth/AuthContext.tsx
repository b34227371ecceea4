import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { authApi, isApiError, setUnauthorizedHandler } from '../../api/client';
import type { CurrentUser, LoginRequest } from '../../api/types';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';

export interface AuthContextValue {
  status: AuthStatus;
  user: CurrentUser | null;
  /** Error (other than 401) met while asking the server who is signed in. */
  loadError: unknown;
  /** The signed-in user, or 'second-factor' when the account's code step follows ({@link loginCode}). */
  login: (credentials: LoginRequest) => Promise<CurrentUser | 'second-factor'>;
  /** The code step of a sign-in: a six-digit code or a recovery code. */
  loginCode: (code: string) => Promise<CurrentUser>;
  logout: () => Promise<void>;
  reload: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

function isCurrentUser(value: unknown): value is CurrentUser {
  if (!value || typeof value !== 'object') return false;
  const user = value as Partial<CurrentUser>;
  return typeof user.userName === 'string' && Array.isArray(user.roles);
}

function checkedUser(value: unknown): CurrentUser {
  if (!isCurrentUser(value)) throw new Error('服务器返回的用户信息无效');
  return value;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  // Any 401 from the API means the session is gone: forget the user, the
  // route guard then sends the browser to /login.
  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        setUser(null);
        setStatus('anonymous');
      }),
    [],
  );

  useEffect(() => {
    const controller = new AbortController();
    authApi
      .me(controller.signal)
      .then(checkedUser)
      .then((me) => {
        setUser(me);
        setStatus('authenticated');
        setLoadError(null);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setUser(null);
        setStatus('anonymous');
        setLoadError(isApiError(error) && error.status === 401 ? null : error);
      });
    return () => controller.abort();
  }, [attempt]);

  const signedIn = useCallback((value: unknown) => {
    const me = checkedUser(value);
    setUser(me);
    setStatus('authenticated');
    setLoadError(null);
    return me;
  }, []);

  const login = useCallback(
    async (credentials: LoginRequest): Promise<CurrentUser | 'second-factor'> => {
      const answer = await authApi.login(credentials);
      if (answer && typeof answer === 'object' && 'secondFactorRequired' in answer && answer.secondFactorRequired)
        return 'second-factor';
      return signedIn(answer);
    },
    [signedIn],
  );

  const loginCode = useCallback(async (code: string) => signedIn(await authApi.loginCode(code)), [signedIn]);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setUser(null);
      setStatus('anonymous');
    }
  }, []);

  const reload = useCallback(() => {
    setStatus('loading');
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ status, user, loadError, login, loginCode, logout, reload }),
    [status, user, loadError, login, loginCode, logout, reload],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only call below <RequireAuth>. */
export function useCurrentUser(): CurrentUser {
  const { user } = useAuth();
  if (!user) throw new Error('useCurrentUser called without a signed-in user');
  return user;
}
