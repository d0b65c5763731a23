/**
 * The bearer token in localStorage. Kept apart from the API client so the login page, the
 * header's logout and the client agree on one key.
 */
const TOKEN_KEY = 'stellar.token';

export function readToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage can be disabled (privacy settings); the console then works only without auth.
    return null;
  }
}

export function storeToken(token: string): void {
  window.localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
