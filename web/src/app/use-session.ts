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
    // Not logged in (or the session expired; the server clears its cookie) is an answer here, not a failure.
    if (!isUnauthorized(err)) throw err;
    return { kind: 'signed-out' };
  }
}

/** The session is gone (a 401, or "Log out"; the server cleared its cookies): the routes go to the login page. */
export function endSession(client: QueryClient): void {
  client.setQueryData<KnownSession>(SESSION_KEY, { kind: 'signed-out' });
}

export function useSession(): { state: SessionState; refresh: () => Promise<void>; logout: () => void } {
  const client = useQueryClient();
  // Known until a 401 or "Log out" says otherwise: not asked again per page or on focus.
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, refetchOnMount: false });
  const logoutCall = useMutation({
    mutationFn: () => apiSend('POST', '/api/auth/logout'),
    // The session may already be expired or revoked; leaving the signed-in pages is what matters.
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
 * POST /api/auth/login. Resolves true once signed in (the session cookie set by the answer, the
 * session known, data of any previous session dropped), false for a wrong user name or password; other failures reject.
 */
export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: { username: string; password: string }): Promise<boolean> => {
      try {
        // The answer's token is for scripts; the console keeps only the cookies the answer sets.
        await apiSend<LoginJson>('POST', '/api/auth/login', credentials);
      } catch (err) {
        if (isUnauthorized(err)) return false;
        throw err;
      }
      client.removeQueries({ queryKey: [API_DATA_KEY] });
      await client.refetchQueries({ queryKey: SESSION_KEY });
      return true;
    },
  });
}
