import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { manualClock } from '../../test/helpers/factories.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { AlertRuleInput, type AlertRuleSource } from '../shared/alerts/alert-rule.js';
import { migrateToLatest } from '../storage/migrate.js';
import { saveApiAlertRule } from '../storage/repos/alerts.repo.js';
import { AlertRuleBook, RULES_REFRESH_MS } from './alert-rule-book.js';
import type { LoadedRule } from './alerts-file.js';

const loaded = (source: AlertRuleSource): LoadedRule => ({ rule: AlertRuleInput.parse(source), source, origin: 'file' });

describe.each(DIALECTS)('the rules in force, on $name', (dialect) => {
  it('joins the file rules with the API’s, re-reads the API’s after RULES_REFRESH_MS or when told, and never runs one that shadows a file rule', async () => {
    const storage = await dialect.open();
    await migrateToLatest(storage);
    const clock = manualClock();
    const logs: string[] = [];
    const book = new AlertRuleBook([loaded({ name: 'qps-high', condition: 'qps > 1000' }), loaded({ name: 'off', condition: 'qps > 1', enabled: false })], { db: storage.db, logger: loggerInto(logs, 'info'), now: clock.now });
    const names = async () => (await book.enabled()).map((r) => `${r.origin} ${r.rule.name}`);
    expect(await names()).toEqual(['file qps-high']);

    await saveApiAlertRule(storage.db, 'heap-high', { name: 'heap-high', condition: 'jvm_heap_usage_pct > 95' }, clock.now());
    // Saved on another instance: this one sees it at its next refresh.
    expect(await names()).toEqual(['file qps-high']);
    clock.advance(RULES_REFRESH_MS);
    expect(await names()).toEqual(['file qps-high', 'api heap-high']);

    // A row with a file rule's name (the file changed since it was saved) is not run, and is warned about once.
    await saveApiAlertRule(storage.db, 'qps-high', { name: 'qps-high', condition: 'qps > 1' }, clock.now());
    book.invalidate();
    expect(await names()).toEqual(['file qps-high', 'api heap-high']);
    book.invalidate();
    await book.enabled();
    expect(logs.filter((l) => l.includes('is not run'))).toHaveLength(1);
    expect(book.isFixed('qps-high')).toBe(true);

    // A reload's rules replace the file's; the shadowing API row runs once its name is free.
    book.replaceFixed([loaded({ name: 'stale', condition: 'no_data(3)' })]);
    expect(await names()).toEqual(['file stale', 'api heap-high', 'api qps-high']);
    expect((await book.all()).map((r) => r.rule.name)).toEqual(['stale', 'heap-high', 'qps-high']);
    await storage.close();
  });
});
