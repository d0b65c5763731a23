/**
 * Reloads the configuration while the service runs (SIGHUP, POST /api/admin/reload): reads the
 * same sources as at start, refuses the whole of it when a value is bad (the running
 * configuration is kept), and hands the changed reloadable keys to the reload participants —
 * the parts that apply them (log level, collection, connection tests, alert rules). Keys that
 * take a restart are left as they run and listed.
 */
import type { Logger } from 'pino';
import { StellarError } from '../errors.js';
import type { Config } from './schema.js';
import type { LoadedConfig } from './sources.js';
import { planReload } from './reload-plan.js';

/** The answer of a reload, as POST /api/admin/reload sends it. */
export interface ReloadOutcome {
  /** Changed keys now in effect, by path (`metrics.interval_secs`). */
  readonly applied: readonly string[];
  /** Changed keys left as they run until a restart. */
  readonly restart_needed: readonly string[];
  /** Whether the sources say what already runs: nothing applied, nothing waiting for a restart. */
  readonly unchanged: boolean;
}

/**
 * A part of the service that follows the configuration. `check` runs before anything is
 * applied and may refuse the reload whole (throw STELLAR_ERR_CONFIG_INVALID): a participant
 * that reads files of its own (alert rules) validates them there. `apply` runs on every
 * accepted reload, with the keys that changed (a participant with files of its own reads them
 * again even when no key changed).
 */
export interface ReloadParticipant {
  readonly name: string;
  check?(next: Config, loaded: LoadedConfig): Promise<void> | void;
  /** `loaded` is what the sources gave, for a participant that follows more than the keys (the file's `[[custom_metrics]]`). */
  apply(next: Config, changed: ReadonlySet<string>, loaded: LoadedConfig): Promise<void> | void;
}

export class ConfigReloader {
  #config: Config;
  readonly #participants: ReloadParticipant[] = [];
  /** Reloads run one at a time, in the order asked. */
  #last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      readonly config: Config;
      /** Reads every source again, as at start. Throws STELLAR_ERR_CONFIG. */
      readonly load: () => LoadedConfig;
      readonly logger: Logger;
    },
  ) {
    this.#config = deps.config;
  }

  /** The configuration in effect: as started, with every applied reload. */
  get config(): Config {
    return this.#config;
  }

  add(participant: ReloadParticipant): void {
    this.#participants.push(participant);
  }

  /** Reloads, `trigger` saying why in the log (`SIGHUP`, `POST /api/admin/reload by admin`). Throws STELLAR_ERR_CONFIG_INVALID. */
  reload(trigger: string): Promise<ReloadOutcome> {
    const run = this.#last.then(() => this.#reload(trigger));
    this.#last = run.catch(() => undefined);
    return run;
  }

  async #reload(trigger: string): Promise<ReloadOutcome> {
    const { logger } = this.deps;
    let loaded: LoadedConfig;
    try {
      loaded = this.deps.load();
      for (const participant of this.#participants) await participant.check?.(loaded.config, loaded);
    } catch (err) {
      throw refused(err, trigger, logger);
    }
    for (const note of loaded.notes) logger[note.level](note.message);
    const plan = planReload(this.#config, loaded.config);
    this.#config = plan.config;
    const changed = new Set(plan.applied);
    for (const participant of this.#participants) {
      try {
        await participant.apply(plan.config, changed, loaded);
      } catch (err) {
        // The others still apply theirs: a reload half applied is better than one stopped midway.
        logger.error({ err, participant: participant.name }, `configuration reload: ${participant.name} could not apply the new configuration`);
      }
    }
    const outcome: ReloadOutcome = { applied: plan.applied, restart_needed: plan.restartNeeded, unchanged: plan.applied.length === 0 && plan.restartNeeded.length === 0 };
    if (plan.restartNeeded.length > 0) logger.warn({ restart_needed: plan.restartNeeded, trigger }, `configuration reload: ${plan.restartNeeded.join(', ')} changed but take a restart; they keep their running values`);
    logger.info({ applied: plan.applied, restart_needed: plan.restartNeeded, trigger, config_file: loaded.file }, outcome.unchanged ? 'configuration reloaded: nothing changed' : 'configuration reloaded');
    return outcome;
  }
}

/** The refusal of a reload, logged with its reasons, as the API answers it. */
function refused(err: unknown, trigger: string, logger: Logger): unknown {
  if (!(err instanceof StellarError) || (err.code !== 'STELLAR_ERR_CONFIG' && err.code !== 'STELLAR_ERR_CONFIG_INVALID')) {
    logger.error({ err, trigger }, 'configuration reload failed; the running configuration is kept');
    return err;
  }
  logger.error({ trigger }, `configuration reload refused, the running configuration is kept:\n${err.message}`);
  return new StellarError('STELLAR_ERR_CONFIG_INVALID', `configuration reload refused, nothing was applied: ${err.message}`, err.details);
}
