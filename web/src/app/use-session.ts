/**
 * Who is logged in, from GET /api/auth/me, as a query every component can read. `auth_enabled:
 * false` means the service is open and there is no login at all. A 401 from any other call ends
 * the session (query-client.ts → `endSession`): the routes then send the user to /login, which
 * comes back to the page afterwards.
 */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { LoginJson, MeJson } from '@shared/api/auth.js';
import { API_DATA_KEY, apiGet, apiSend } from './api-client.js';
import { isUnauthorized } from './api-error.js';
import { navigate } from './router.js';
import { clearToken, storeToken } from './session.js';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-in'; me: MeJson }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string };

type KnownSession = Extract<SessionState, { kind: 'signed-in' | 'signed-out' }>;

const SESSION_KEY = ['session'] as const;

async function fetchSession(): Promise<KnownSession> {
  try {
    return { kind: 'signed-in', me: await apiGet<MeJson>('/api/auth/me') };
  } catch (err) {
    // Not logged in (or the token expired) is an answer here, not a failure.
    if (!isUnauthorized(err)) throw err;
    clearToken();
    return { kind: 'signed-out' };
  }
}

/** The token is gone (a 401, or "Log out"): forget it; the routes go to the login page. */
export function endSession(client: QueryClient): void {
  clearToken();
  client.setQueryData<KnownSession>(SESSION_KEY, { kind: 'signed-out' });
}

export function useSession(): { state: SessionState; refresh: () => Promise<void>; logout: () => void } {
  const client = useQueryClient();
  // Known until a 401 or "Log out" says otherwise: not asked again per page or on focus.
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, refetchOnMount: false });
  const logoutCall = useMutation({
    mutationFn: () => apiSend('POST', '/api/auth/logout'),
    // The token may already be expired or revoked; logging out locally is what matters.
    onSettled: () => {
      endSession(client);
      navigate('/login');
    },
  });
  const { refetch } = session;
  const refresh = useCallback(async () => {
    await refetch();
  }, [refetch]);
  const { mutate } = logoutCall;
  const logout = useCallback(() => mutate(), [mutate]);

  let state: SessionState;
  if (session.status === 'error') state = { kind: 'error', message: session.error.message };
  else if (session.status === 'pending') state = { kind: 'loading' };
  else state = session.data;
  return { state, refresh, logout };
}

/**
 * POST /api/auth/login. Resolves true once signed in (token stored, the session known, data of
 * any previous session dropped), false for a wrong user name or password; other failures reject.
 */
export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: { username: string; password: string }): Promise<boolean> => {
      let login: LoginJson;
      try {
        login = await apiSend<LoginJson>('POST', '/api/auth/login', credentials);
      } catch (err) {
        if (isUnauthorized(err)) return false;
        throw err;
      }
      storeToken(login.token);
      client.removeQueries({ queryKey: [API_DATA_KEY] });
      await client.refetchQueries({ queryKey: SESSION_KEY });
      return true;
    },
  });
}
