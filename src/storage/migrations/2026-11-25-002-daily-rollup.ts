/**
 * The daily roll-up's columns. They were listed here when this migration was written; they now
 * come from the field catalogue (src/shared/daily-fields.ts, created at every start by
 * storage/field-columns.ts), so this step does nothing more. It stays in the list because
 * databases have it in their history.
 */
import type { Migration } from 'kysely';

export const dailyRollup: Migration = {
  async up() {},
};
