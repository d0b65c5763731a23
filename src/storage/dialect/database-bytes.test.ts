/** The database's size as /metrics reports it (stellar_database_size_bytes), on every engine. */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/dialects.js';
import { migrateToLatest } from '../migrate.js';

describe.each(DIALECTS)('databaseBytes on $name', (dialect) => {
  it('is the size of the migrated database, and grows with what is written', async () => {
    const storage = await dialect.open();
    try {
      await migrateToLatest(storage);
      const before = await storage.dialect.databaseBytes(storage.db);
      expect(before).toBeGreaterThan(10_000);
      await storage.db.insertInto('stellar_meta').values(Array.from({ length: 2000 }, (_, i) => ({ key: `filler-${i}`, value: 'x'.repeat(500) }))).execute();
      expect(await storage.dialect.databaseBytes(storage.db)).toBeGreaterThan(before);
    } finally {
      await storage.close();
    }
  });
});
