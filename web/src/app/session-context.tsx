/**
 * Who is logged in, from GET /api/auth/me, for the whole console. `auth_enabled: false` means
 * the service is open and there is no login at all. A 401 from any call clears the token and
 * sends the user to /login (api-client.ts); the login page calls `refresh()` after storing a
 * new token.
 */
import { createContext, type JSX, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { MeJson } from '@shared/api/auth.js';
import { ApiError, apiGet, apiSend } from './api-client.js';
import { navigate } from './router.js';
import { clearToken } from './session.js';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-in'; me: MeJson }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string };

interface SessionContextValue {
  readonly state: SessionState;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider(props: { children: ReactNode }): JSX.Element {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });

  const refresh = useCallback(async () => {
    try {
      setState({ kind: 'signed-in', me: await apiGet<MeJson>('/api/auth/me') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ kind: 'signed-out' });
      else setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await apiSend('POST', '/api/auth/logout');
    } catch {
      // The token may already be expired or revoked; logging out locally is what matters.
    }
    clearToken();
    setState({ kind: 'signed-out' });
    navigate('/login');
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ state, refresh, logout }), [state, refresh, logout]);
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside <SessionProvider>');
  return value;
}
