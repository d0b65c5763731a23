/**
 * The frame of every signed-in page: product name, navigation, theme toggle and the user; a
 * footer links the alerts and the instances: the header has no room left for them on a 390 px phone.
 */
import type { JSX, ReactNode } from 'react';
import { NAV } from './nav.js';
import { Link, useLocation } from './router.js';
import { useSession } from './use-session.js';
import { ThemeToggle } from './ThemeToggle.js';

export function Shell(props: { children: ReactNode }): JSX.Element {
  const { path } = useLocation();
  return (
    <div className="shell">
      <header className="shell-header">
        <Link to="/" className="shell-brand">
          <svg className="shell-logo" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M16 3l3.3 8.4 9 .6-6.9 5.8 2.2 8.8L16 21.8l-7.6 4.8 2.2-8.8-6.9-5.8 9-.6z" />
          </svg>
          <span>Stellar</span>
        </Link>
        <nav className="shell-nav" aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className="shell-nav-link" aria-current={item.isCurrent(path) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="shell-tools">
          <ThemeToggle />
          <UserMenu />
        </div>
      </header>
      <main className="shell-main">{props.children}</main>
      <footer className="shell-footer">
        <nav className="shell-footer-nav" aria-label="More">
          <Link to="/alerts" className="shell-footer-link" aria-current={path === '/alerts' ? 'page' : undefined}>
            Alerts
          </Link>
          <Link to="/custom-metrics" className="shell-footer-link" aria-current={path === '/custom-metrics' ? 'page' : undefined}>
            Custom metrics
          </Link>
          <Link to="/instances" className="shell-footer-link" aria-current={path === '/instances' ? 'page' : undefined}>
            Instances
          </Link>
        </nav>
      </footer>
    </div>
  );
}

function UserMenu(): JSX.Element | null {
  const session = useSession();
  if (session.state.kind !== 'signed-in') return null;
  const { me } = session.state;
  if (!me.auth_enabled && me.user === null) {
    return (
      <span className="shell-user" title="Authentication is off ([auth] enabled = false): anyone who reaches this port can change clusters">
        auth off
      </span>
    );
  }
  return (
    <span className="shell-user">
      <span className="shell-user-name" title={`Signed in as ${me.user?.username ?? '?'}`}>
        {me.user?.username}
      </span>
      {me.auth_method === 'cookie' && (
        <button type="button" className="button button-quiet" onClick={() => session.logout()}>
          Log out
        </button>
      )}
    </span>
  );
}
