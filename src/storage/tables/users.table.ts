import type { Generated } from 'kysely';

/** A person or script allowed to use the API. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** scrypt hash with its parameters and salt, see security/password-hash.ts. */
  password_hash: string;
  created_at: number;
  updated_at: number;
}

/** A bearer token handed out by POST /api/auth/login. Only its SHA-256 is stored. */
export interface AuthTokensTable {
  id: Generated<number>;
  user_id: number;
  /** Hex SHA-256 of the token: a stolen database does not yield usable tokens. */
  token_hash: string;
  created_at: number;
  expires_at: number;
}

/** Small facts about the installation itself, e.g. the fingerprint of the secret key. */
export interface StellarMetaTable {
  key: string;
  value: string;
}
