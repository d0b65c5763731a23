/**
 * Every rule in force: the shipped and file rules (fixed from start) and the rules made through
 * the API (the alert_rules table, read again at most every RULES_REFRESH_MS, and at once when
 * this process changed them, so the collecting instance follows rules saved on another one).
 * Each rule is parsed once, when it is read, never per evaluation; a reload replaces the fixed ones. An API rule may not take the
 * name of a file or default rule: the API refuses it (nameTaken), and one found in the table
 * anyway (the file changed since) is ignored with a warning.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AlertRuleInput, type AlertRuleSource } from '../shared/alerts/alert-rule.js';
import type { Database } from '../storage/database.js';
import { apiAlertRules } from '../storage/repos/alerts.repo.js';
import { describeIssues, type LoadedRule } from './alerts-file.js';

export const RULES_REFRESH_MS = 30_000;

export class AlertRuleBook {
  #fixed: readonly LoadedRule[];
  #fixedNames: ReadonlySet<string>;
  #api: readonly LoadedRule[] = [];
  #readAt: number | null = null;
  #reading: Promise<void> | null = null;
  #enabled: readonly LoadedRule[] = [];
  /** Rows already warned about, so a bad row is logged once, not at every refresh. */
  readonly #warned = new Set<string>();

  constructor(
    fixed: readonly LoadedRule[],
    private readonly deps: { readonly db: Kysely<Database>; readonly logger: Logger; readonly now: () => number },
  ) {
    this.#fixed = fixed;
    this.#fixedNames = new Set(fixed.map((r) => r.rule.name));
    this.#enabled = fixed.filter((r) => r.rule.enabled);
  }

  /** Every rule, switched-off ones included, defaults and file first. */
  async all(): Promise<readonly LoadedRule[]> {
    await this.fresh();
    return [...this.#fixed, ...this.#api];
  }

  /** The rules to evaluate, as of at most RULES_REFRESH_MS ago. */
  async enabled(): Promise<readonly LoadedRule[]> {
    await this.fresh();
    return this.#enabled;
  }

  /** Whether `name` belongs to a default or file rule (which the API may not shadow). */
  isFixed(name: string): boolean {
    return this.#fixedNames.has(name);
  }

  /** The defaults and file rules of a reloaded configuration; the API rules are read again with them. */
  replaceFixed(fixed: readonly LoadedRule[]): void {
    this.#fixed = fixed;
    this.#fixedNames = new Set(fixed.map((r) => r.rule.name));
    this.#enabled = fixed.filter((r) => r.rule.enabled);
    this.invalidate();
  }

  /** Reads the API rules again at the next use (after this process saved or deleted one). */
  invalidate(): void {
    this.#readAt = null;
  }

  private async fresh(): Promise<void> {
    if (this.#readAt !== null && this.deps.now() - this.#readAt < RULES_REFRESH_MS) return;
    this.#reading ??= this.read().finally(() => (this.#reading = null));
    await this.#reading;
  }

  private async read(): Promise<void> {
    const rows = await apiAlertRules(this.deps.db);
    const api: LoadedRule[] = [];
    for (const row of rows) {
      const parsed = AlertRuleInput.safeParse(row.definition);
      const problem = this.#fixedNames.has(row.name) ? 'a default or file rule has its name' : parsed.success ? null : describeIssues(parsed.error);
      if (problem !== null || !parsed.success) {
        const key = `${row.name}@${row.updatedAt}`;
        if (!this.#warned.has(key)) this.deps.logger.warn({ rule: row.name, problem }, 'an alert rule saved through the API is not run');
        this.#warned.add(key);
        continue;
      }
      api.push({ rule: parsed.data, source: row.definition as AlertRuleSource, origin: 'api' });
    }
    this.#api = api;
    this.#enabled = [...this.#fixed, ...api].filter((r) => r.rule.enabled);
    this.#readAt = this.deps.now();
  }
}
