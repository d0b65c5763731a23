/** Who may use Stellar: the users (managed by admins) and the caller's own API tokens. */
import type { JSX } from 'react';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useSession } from '../../app/use-session.js';
import { TokensSection } from './TokensSection.js';
import { UsersSection } from './UsersSection.js';
import './access.css';

export function AccessPage(): JSX.Element {
  useDocumentTitle('Access');
  const { state } = useSession();
  const role = state.kind === 'signed-in' ? state.me.role : null;
  return (
    <section aria-labelledby="access-title">
      <div className="page-header">
        <h1 className="page-title" id="access-title">
          Access
        </h1>
        {role !== null && <span className="muted">You are {role === 'admin' ? 'an admin' : 'a viewer (read only)'}</span>}
      </div>
      {/* With authentication off and no credentials there is no user to own tokens. */}
      {role !== null && <TokensSection myRole={role} />}
      <UsersSection isAdmin={role === 'admin'} />
    </section>
  );
}
