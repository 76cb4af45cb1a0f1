/**
 * Global authentication state.
 *
 * Holds the signed-in user (from GET /api/auth/me), signs in and out, and listens for the API
 * client's 401 signal: any 401 on an authenticated request drops the token and flips the state to
 * `signedOut` with reason "expired", which the App turns into a redirect to the login page.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as authApi from '../api/auth';
import { ApiError, errorMessage, onUnauthorized } from '../api/client';
import { clearToken, loadToken, saveToken } from '../api/tokenStore';
import type { CurrentUser } from '../api/types';

export type SignOutReason = 'expired' | 'signedOut' | 'passwordChanged' | null;

export type AuthState =
  | { status: 'checking' }
  | { status: 'unreachable'; message: string }
  | { status: 'signedOut'; reason: SignOutReason }
  | { status: 'signedIn'; user: CurrentUser };

export interface AuthContextValue {
  state: AuthState;
  /** The signed-in user, or null. */
  user: CurrentUser | null;
  isAdmin: boolean;
  /** Throws ApiError (401 wrong credentials, 429 locked out, ...) on failure. */
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Changes the own password, then signs in again since older tokens stop working. */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  /** Re-reads the session (used after the server was unreachable). */
  recheck(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() =>
    loadToken() ? { status: 'checking' } : { status: 'signedOut', reason: null },
  );
  const [checkCount, setCheckCount] = useState(0);

  useEffect(() => {
    onUnauthorized(() => setState({ status: 'signedOut', reason: 'expired' }));
    return () => onUnauthorized(null);
  }, []);

  // Validate a stored token on start (and on recheck).
  useEffect(() => {
    if (!loadToken()) {
      setState((s) => (s.status === 'checking' || s.status === 'unreachable' ? { status: 'signedOut', reason: null } : s));
      return;
    }
    let cancelled = false;
    setState({ status: 'checking' });
    authApi
      .fetchMe()
      .then((user) => !cancelled && setState({ status: 'signedIn', user }))
      .catch((err) => {
        if (cancelled) return;
        if (err instanceof ApiError && err.status === 401) {
          clearToken();
          setState({ status: 'signedOut', reason: 'expired' });
        } else {
          setState({ status: 'unreachable', message: errorMessage(err) });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [checkCount]);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await authApi.login(username, password);
    saveToken(answer.access_token);
    try {
      const user = await authApi.fetchMe();
      setState({ status: 'signedIn', user });
    } catch (err) {
      clearToken();
      throw err;
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      /* the token is dropped either way */
    }
    clearToken();
    setState({ status: 'signedOut', reason: 'signedOut' });
  }, []);

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      if (state.status !== 'signedIn') throw new Error('Not signed in.');
      const username = state.user.username;
      await authApi.changePassword(currentPassword, newPassword);
      try {
        const answer = await authApi.login(username, newPassword);
        saveToken(answer.access_token);
      } catch {
        clearToken();
        setState({ status: 'signedOut', reason: 'passwordChanged' });
      }
    },
    [state],
  );

  const recheck = useCallback(() => setCheckCount((n) => n + 1), []);

  const value = useMemo<AuthContextValue>(() => {
    const user = state.status === 'signedIn' ? state.user : null;
    return { state, user, isAdmin: user?.role === 'admin', login, logout, changePassword, recheck };
  }, [state, login, logout, changePassword, recheck]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** Access to the authentication state; must be used below <AuthProvider>. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
