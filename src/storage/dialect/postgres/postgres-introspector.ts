/**
 * Kysely's PostgreSQL introspector lists the tables of every schema the user may read. Stellar's
 * tables are those of the connection's current schema (`public`, or the one `options=-c
 * search_path=…` in database.url names): the migrator and the field columns look tables up by
 * name, and a `clusters` table of another schema in the same database must not count.
 */
import { type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions, type Kysely, type SchemaMetadata, sql, type TableMetadata } from 'kysely';

export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  readonly #inner: DatabaseIntrospector;
  readonly #db: Kysely<unknown>;

  constructor(inner: DatabaseIntrospector, db: Kysely<unknown>) {
    this.#inner = inner;
    this.#db = db;
  }

  getSchemas(): Promise<SchemaMetadata[]> {
    return this.#inner.getSchemas();
  }

  async getTables(options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.#db);
    const current = rows[0]?.schema;
    return (await this.#inner.getTables(options)).filter((t) => t.schema === current);
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}
