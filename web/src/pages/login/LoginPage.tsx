/**
 * User name and password → POST /api/auth/login (useLogin) → the session in an HttpOnly cookie →
 * back to the page that sent the user here (`?next=`). With auth off there is nothing to log into,
 * so the page says so and links on.
 */
import { type FormEvent, type JSX, useEffect, useState } from 'react';
import { navigate, useLocation } from '../../app/router.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useLogin, useSession } from '../../app/use-session.js';
import './login.css';

/** Only a path of this console: an absolute URL in `next` would make the login page an open redirect. */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage(): JSX.Element {
  useDocumentTitle('Log in');
  const { search } = useLocation();
  const session = useSession();
  const next = safeNext(search.get('next'));
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const login = useLogin();

  const authOff = session.state.kind === 'signed-in' && !session.state.me.auth_enabled && session.state.me.user === null;
  const alreadyIn = session.state.kind === 'signed-in' && session.state.me.user !== null;
  useEffect(() => {
    if (alreadyIn) navigate(next, { replace: true });
  }, [alreadyIn, next]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (username.trim() === '' || password === '') {
      setError('Enter a user name and a password.');
      return;
    }
    try {
      if (await login.mutateAsync({ username: username.trim(), password })) navigate(next, { replace: true });
      else setError('Wrong user name or password.');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="login-title">
        <div className="login-brand">
          <svg className="shell-logo" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M16 3l3.3 8.4 9 .6-6.9 5.8 2.2 8.8L16 21.8l-7.6 4.8 2.2-8.8-6.9-5.8 9-.6z" />
          </svg>
          <h1 id="login-title">Log in to Stellar</h1>
        </div>
        {authOff ? (
          <p className="login-note">
            Authentication is off on this service: no login needed. <a href="/">Open the fleet</a>.
          </p>
        ) : (
          <>
            <label className="field">
              <span className="field-label">User name</span>
              <input className="input" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoCapitalize="off" spellCheck={false} />
            </label>
            <label className="field">
              <span className="field-label">Password</span>
              <input className="input" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
            </label>
            {error !== null && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button button-primary login-submit" disabled={login.isPending}>
              {login.isPending ? 'Logging in…' : 'Log in'}
            </button>
            <p className="login-hint">
              The first start printed the password of <code>admin</code> (also in <code>data/initial-admin-password</code>).
            </p>
          </>
        )}
      </form>
    </div>
  );
}
