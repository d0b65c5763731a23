/**
 * Alerting follows a configuration reload (SIGHUP, POST /api/admin/reload): the alerts file is
 * read and validated before anything is applied — an error in it refuses the whole reload and
 * the running rules stay — then its rules replace the defaults and file rules in force, and its
 * webhooks and `alertmanager_url` the destinations. Read again at every reload, even when no key
 * changed, since the file's own text may have. `[alerts] enabled` takes a restart.
 */
import type { ReloadParticipant } from '../config/config-reloader.js';
import type { Config } from '../config/schema.js';
import type { AlertDestinations } from './alert-notifier.js';
import type { AlertRuleBook } from './alert-rule-book.js';
import { type AlertsSetup, loadAlertsSetup } from './alerts-file.js';

/** What the service holds of the alerts configuration: replaced whole by a reload. */
export class AlertsInForce {
  #destinations: AlertDestinations;

  constructor(
    readonly rules: AlertRuleBook,
    alertmanagerUrl: string,
    webhooks: AlertsSetup['webhooks'],
  ) {
    this.#destinations = { alertmanagerUrl, webhooks };
  }

  get destinations(): AlertDestinations {
    return this.#destinations;
  }

  replace(setup: AlertsSetup, alertmanagerUrl: string): void {
    this.rules.replaceFixed(setup.rules);
    this.#destinations = { alertmanagerUrl, webhooks: setup.webhooks };
  }
}

export function alertsReloadParticipant(inForce: AlertsInForce, options: { readonly enabled: boolean; readonly env: Readonly<Record<string, string | undefined>> }): ReloadParticipant {
  const read = (config: Config): AlertsSetup => (options.enabled ? loadAlertsSetup({ file: config.alerts.file, defaults: config.alerts.defaults, env: options.env }) : { rules: [], webhooks: [] });
  let checked: AlertsSetup | null = null;
  return {
    name: 'alert rules',
    check: (next) => {
      checked = read(next);
    },
    apply: (next) => {
      inForce.replace(checked ?? read(next), next.alerts.alertmanager_url);
      checked = null;
    },
  };
}
