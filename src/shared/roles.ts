/**
 * What a user, or one of their API tokens, may do. `admin`: everything (clusters, users,
 * settings); `viewer`: read only, every GET. Ordered from least to most power.
 */
export const ROLES = ['viewer', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** The role with less power of the two: a token never does more than its owner may today. */
export function lesserRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}
