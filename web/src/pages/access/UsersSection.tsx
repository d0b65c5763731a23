/**
 * Stellar's users and their roles. Everyone sees the list; an admin also adds users, changes
 * roles, sets passwords and deletes users (the server keeps the last admin).
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type JSX, useState } from 'react';
import type { UserListJson } from '@shared/api/users.js';
import type { Role } from '@shared/roles.js';
import { RoleSelect } from './RoleSelect.js';
import { apiQuery } from '../../app/api-client.js';
import { queryView } from '../../app/query-client.js';
import { LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useCreateUser, useDeleteUser, useResetPassword, useSetRole } from './access-mutations.js';
import { TableHead } from '../../app/ui/TableHead.js';

export function UsersSection(props: { isAdmin: boolean }): JSX.Element {
  const view = queryView(useQuery(apiQuery<UserListJson>('/api/users')));
  const createUser = useCreateUser();
  const setRole = useSetRole();
  const resetPassword = useResetPassword();
  const deleteUser = useDeleteUser();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setNewRole] = useState<Role>('viewer');
  const failure = [createUser.error, setRole.error, resetPassword.error, deleteUser.error].find((e) => e !== null) ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    createUser.mutate({ username, password, role }, { onSuccess: () => { setUsername(''); setPassword(''); } });
  };
  const askPassword = (id: number, name: string) => {
    const next = window.prompt(`New password for ${name} (at least 8 characters; their tokens are revoked)`);
    if (next !== null) resetPassword.mutate({ id, password: next });
  };

  if (view.data === undefined) return view.failure !== null ? <ProblemBlock title="The users could not be loaded" message={view.failure.message} /> : <LoadingBlock label="Loading the users" />;
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {props.isAdmin && (
        <form className="access-form" onSubmit={submit}>
          <label>
            Name <input value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={128} />
          </label>
          <label>
            Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" />
          </label>
          <label>
            Role{' '}
            <RoleSelect value={role} onChange={setNewRole} />
          </label>
          <button type="submit" className="button button-primary" disabled={createUser.isPending}>
            Add user
          </button>
        </form>
      )}
      {failure !== null && <p className="field-error" role="alert">{failure.message}</p>}
      <div className="table-wrap">
        <table className="table">
          <TableHead columns={['Name', 'Role']} actions={props.isAdmin} />
          <tbody>
            {view.data.users.map((user) => (
              <tr key={user.id}>
                <td>{user.username}</td>
                <td>
                  {props.isAdmin ? (
                    <RoleSelect aria-label={`Role of ${user.username}`} value={user.role} onChange={(role) => setRole.mutate({ id: user.id, role })} />
                  ) : (
                    user.role
                  )}
                </td>
                {props.isAdmin && (
                  <td>
                    <button type="button" className="button button-small" onClick={() => askPassword(user.id, user.username)}>
                      Set password
                    </button>{' '}
                    <button type="button" className="button button-danger button-small" onClick={() => window.confirm(`Delete ${user.username} and their tokens?`) && deleteUser.mutate(user.id)}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
