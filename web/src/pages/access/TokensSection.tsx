/**
 * The signed-in user's personal API tokens: the list (never a value), a form to make one, the
 * new token's value shown once right after, and revoke.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type JSX, useState } from 'react';
import type { CreatedTokenJson, TokenListJson } from '@shared/api/users.js';
import { ROLES, type Role } from '@shared/roles.js';
import { RoleSelect } from './RoleSelect.js';
import { apiQuery } from '../../app/api-client.js';
import { queryView } from '../../app/query-client.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useCreateToken, useRevokeToken } from './access-mutations.js';
import { TableHead } from '../../app/ui/TableHead.js';

const when = (iso: string | null) => (iso === null ? 'never' : new Date(iso).toLocaleString());

export function TokensSection(props: { myRole: Role }): JSX.Element {
  const view = queryView(useQuery(apiQuery<TokenListJson>('/api/auth/tokens')));
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [role, setRole] = useState<Role>(props.myRole);
  const [created, setCreated] = useState<CreatedTokenJson | null>(null);
  const roles = ROLES.slice(0, ROLES.indexOf(props.myRole) + 1);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, expires_in_days: Number(days), role }, { onSuccess: (token) => { setCreated(token); setName(''); } });
  };

  let list: JSX.Element;
  if (view.data === undefined) list = view.failure !== null ? <ProblemBlock title="Your tokens could not be loaded" message={view.failure.message} /> : <LoadingBlock label="Loading your tokens" />;
  else if (view.data.tokens.length === 0) list = <EmptyBlock title="No personal tokens" />;
  else {
    list = (
      <div className="table-wrap">
        <table className="table">
          <TableHead columns={['Name', 'Role', 'Created', 'Expires', 'Last used']} actions />
          <tbody>
            {view.data.tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{token.role}</td>
                <td>{when(token.created_at)}</td>
                <td>{when(token.expires_at)}</td>
                <td>{when(token.last_used_at)}</td>
                <td>
                  <button type="button" className="button button-danger button-small" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">Your API tokens</h2>
      <p className="muted">For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token does at most what you may do.</p>
      {created !== null && (
        <p className="notice" role="status">
          Token “{created.name}”: <code>{created.token}</code> — copy it now, it is not shown again.
          <button type="button" className="button button-quiet button-small" onClick={() => setCreated(null)} aria-label="Dismiss">
            ✕
          </button>
        </p>
      )}
      <form className="access-form" onSubmit={submit}>
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Days valid <input type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} required />
        </label>
        <label>
          Role{' '}
          <RoleSelect value={role} onChange={setRole} roles={roles} />
        </label>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.error !== null && <p className="field-error" role="alert">{create.error.message}</p>}
      {revoke.error !== null && <p className="field-error" role="alert">{revoke.error.message}</p>}
      {list}
    </section>
  );
}
