/** A choice of role, the one control the users and tokens forms and the users table share. */
import type { JSX } from 'react';
import { ROLES, type Role } from '@shared/roles.js';

export function RoleSelect(props: { value: Role; onChange: (role: Role) => void; roles?: readonly Role[]; 'aria-label'?: string }): JSX.Element {
  return (
    <select aria-label={props['aria-label']} value={props.value} onChange={(e) => props.onChange(e.target.value as Role)}>
      {(props.roles ?? ROLES).map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
