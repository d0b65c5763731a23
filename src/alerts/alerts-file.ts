/**
 * The alert rules and notification channels Stellar starts with: the shipped defaults
 * (`[alerts] defaults`), then the alerts file (`[alerts] file`) whose `[[rules]]` add rules or
 * replace a default of the same name (`enabled = false` switches one off) and whose
 * `[[webhooks]]` name where notifications go besides Alertmanager. Read once at start; an error
 * names the file, the rule or webhook (by name, else by index) and the key, and stops the start
 * as any configuration error does (exit 2).
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { StellarError } from '../errors.js';
import { type AlertRule, AlertRuleInput, type AlertRuleSource } from '../shared/alerts/alert-rule.js';
import { DEFAULT_ALERT_RULES } from '../shared/alerts/default-rules.js';

/** Where a rule comes from: shipped, the alerts file, or made through the API. */
export type RuleOrigin = 'default' | 'file' | 'api';

export interface LoadedRule {
  readonly rule: AlertRule;
  /** The rule as written, for GET /api/alert-rules. */
  readonly source: AlertRuleSource;
  readonly origin: RuleOrigin;
}

export interface Webhook {
  readonly name: string;
  readonly url: string;
  /** generic: Alertmanager's webhook JSON, signed; slack: `{text}` for Slack-compatible incoming webhooks. */
  readonly kind: 'generic' | 'slack';
  /** HMAC-SHA256 key of the `X-Stellar-Signature` header (generic webhooks). */
  readonly secret: string | null;
}

export interface AlertsSetup {
  /** Default and file rules, by name; switched-off ones included (enabled = false). */
  readonly rules: readonly LoadedRule[];
  readonly webhooks: readonly Webhook[];
}

const WebhookInput = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, "-" or "_", starting with a letter'),
    url: z.string().regex(/^https?:\/\/[^/\s]+/, 'must be an http:// or https:// URL'),
    kind: z.enum(['generic', 'slack']).default('generic'),
    secret: z.string().min(16, 'must be at least 16 characters').optional(),
    secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable').optional(),
  })
  .strict();

const AlertsFileInput = z.object({ rules: z.array(z.unknown()).default([]), webhooks: z.array(z.unknown()).default([]) }).strict();

function configError(message: string): StellarError {
  return new StellarError('STELLAR_ERR_CONFIG', `config error: ${message}`);
}

/** `condition: expected … ; for: "5x" is not a duration` — each issue with the key it is about. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(the entry)'}: ${issue.message}`).join('; ');
}

function entryName(entry: unknown, kind: string, index: number): string {
  const name = typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' ? (entry as { name: string }).name : null;
  return name === null ? `${kind}[${index}]` : `${kind} "${name}" (${kind}[${index}])`;
}

/** The rules and webhooks in effect. Throws STELLAR_ERR_CONFIG for an unreadable or invalid file. */
export function loadAlertsSetup(options: { readonly file: string; readonly defaults: boolean; readonly env: Readonly<Record<string, string | undefined>> }): AlertsSetup {
  const byName = new Map<string, LoadedRule>();
  if (options.defaults) {
    for (const source of DEFAULT_ALERT_RULES) byName.set(source.name, { rule: AlertRuleInput.parse(source), source, origin: 'default' });
  }
  if (options.file === '') return { rules: [...byName.values()], webhooks: [] };

  const file = options.file;
  let document: unknown;
  try {
    document = parseToml(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof TomlError) throw configError(`alerts file ${file} (alerts.file) is not valid TOML: ${error.message.split('\n')[0]}`);
    throw configError(`cannot read the alerts file ${file} (alerts.file): ${(error as Error).message}`);
  }
  const top = AlertsFileInput.safeParse(document);
  if (!top.success) throw configError(`alerts file ${file}: ${describeIssues(top.error)}; the file holds only [[rules]] and [[webhooks]] entries`);

  const seen = new Set<string>();
  top.data.rules.forEach((entry, index) => {
    const parsed = AlertRuleInput.safeParse(entry);
    if (!parsed.success) throw configError(`alerts file ${file}: ${entryName(entry, 'rules', index)}: ${describeIssues(parsed.error)}`);
    const name = parsed.data.name;
    if (seen.has(name)) throw configError(`alerts file ${file}: ${entryName(entry, 'rules', index)}: name: another rule of the file has this name`);
    seen.add(name);
    byName.set(name, { rule: parsed.data, source: entry as AlertRuleSource, origin: 'file' });
  });

  const webhooks: Webhook[] = [];
  top.data.webhooks.forEach((entry, index) => {
    const where = `alerts file ${file}: ${entryName(entry, 'webhooks', index)}`;
    const parsed = WebhookInput.safeParse(entry);
    if (!parsed.success) throw configError(`${where}: ${describeIssues(parsed.error)}`);
    const { name, url, kind, secret: written, secret_env: variable } = parsed.data;
    if (webhooks.some((w) => w.name === name)) throw configError(`${where}: name: another webhook of the file has this name`);
    if (written !== undefined && variable !== undefined) throw configError(`${where}: secret: give secret or secret_env, not both`);
    let secret = written ?? null;
    if (variable !== undefined) {
      secret = options.env[variable] ?? '';
      if (secret.length < 16) throw configError(`${where}: secret_env: the environment variable ${variable} is ${secret === '' ? 'not set' : 'shorter than 16 characters'}`);
    }
    if (kind === 'generic' && secret === null) throw configError(`${where}: secret: a generic webhook is signed (X-Stellar-Signature): give secret = "…" (16 characters or more) or secret_env = "VARIABLE"`);
    webhooks.push({ name, url, kind, secret });
  });
  return { rules: [...byName.values()], webhooks };
}
