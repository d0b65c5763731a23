/**
 * A silence, defined once: the API and the console validate with this schema, and the notifier
 * matches alerts with silenceMatches. A silence mutes the notifications of every alert whose
 * labels satisfy all its matchers, from `starts_at` to `ends_at`, as Alertmanager's silences
 * do. The labels are those Stellar sends: `alertname` (the rule), `cluster` (its name),
 * `cluster_id`, `severity` and the rule's own labels. A matcher compares one label for equality
 * or, with `regex`, against a regular expression anchored at both ends (Alertmanager's `=~`);
 * a label an alert lacks is the empty string, as in Alertmanager. Pure.
 */
import { z } from 'zod';
import { SECOND_UNITS, parseAmount } from '../duration.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A silence may last at most this long: longer is a rule to switch off, not a silence. */
export const MAX_SILENCE_MS = 366 * 86_400_000;

export const SilenceMatcher = z
  .object({
    name: z.string().regex(LABEL_NAME, 'a label name: alertname (the rule), cluster, cluster_id, severity or one of the rule’s labels'),
    value: z.string().max(500),
    regex: z.boolean().default(false).meta({ description: 'true: value is a regular expression the whole label must match (Alertmanager’s =~)' }),
  })
  .strict()
  .superRefine((matcher, ctx) => {
    if (!matcher.regex) return;
    try {
      new RegExp(`^(?:${matcher.value})$`, 'u');
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `is not a regular expression: ${(error as Error).message}` });
    }
  });

export type SilenceMatcher = z.output<typeof SilenceMatcher>;

const time = (what: string) =>
  z.string().refine((text) => !Number.isNaN(Date.parse(text)), `${what} is an ISO 8601 time, as 2026-12-03T10:00:00Z`);

const duration = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  const parsed = parseAmount(raw, SECOND_UNITS);
  if (!parsed.ok || parsed.value <= 0) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(raw)} is not a duration: write 30m, 1h, 4h or 1d (a number is seconds)` });
    return z.NEVER;
  }
  return parsed.value * 1000;
});

/** A silence as the API takes it: the end given as `ends_at` or as a `duration` from the start, not both. */
export const SilenceInput = z
  .object({
    matchers: z.array(SilenceMatcher).min(1, 'a silence needs at least one matcher (a silence of everything is not made by accident)').max(20),
    starts_at: time('starts_at').optional().meta({ description: 'When it starts; now when absent' }),
    ends_at: time('ends_at').optional(),
    duration: duration.optional().meta({ description: 'How long from the start: 30m, 1h, 4h, 1d (a number is seconds); instead of ends_at' }),
    comment: z.string().trim().min(1, 'say why (the comment shows wherever the silence does)').max(1000),
  })
  .strict()
  .superRefine((input, ctx) => {
    if ((input.ends_at === undefined) === (input.duration === undefined)) ctx.addIssue({ code: 'custom', path: [input.ends_at === undefined ? 'duration' : 'ends_at'], message: 'give either ends_at or duration (exactly one)' });
  });

export type SilenceInput = z.input<typeof SilenceInput>;

/** The start and end of a checked input, in ms; a problem names its key. */
export function silencePeriod(input: z.output<typeof SilenceInput>, now: number): { startsAt: number; endsAt: number } | { field: string; message: string } {
  const startsAt = input.starts_at === undefined ? now : Date.parse(input.starts_at);
  const endsAt = input.ends_at === undefined ? startsAt + (input.duration ?? 0) : Date.parse(input.ends_at);
  if (endsAt <= startsAt) return { field: input.ends_at === undefined ? 'duration' : 'ends_at', message: 'must end after it starts' };
  if (endsAt <= now) return { field: input.ends_at === undefined ? 'duration' : 'ends_at', message: 'is already past: a silence ends in the future' };
  if (endsAt - startsAt > MAX_SILENCE_MS) return { field: input.ends_at === undefined ? 'duration' : 'ends_at', message: 'a silence lasts at most 366 days; switch the rule off (enabled: false) instead' };
  return { startsAt, endsAt };
}

/** What the notifier keeps of a silence. */
export interface SilenceWindow {
  readonly id: number;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
}

const compiled = new WeakMap<SilenceMatcher, RegExp>();

function matcherHolds(matcher: SilenceMatcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[matcher.name] ?? '';
  if (!matcher.regex) return value === matcher.value;
  let pattern = compiled.get(matcher);
  if (pattern === undefined) compiled.set(matcher, (pattern = new RegExp(`^(?:${matcher.value})$`, 'u')));
  return pattern.test(value);
}

/** Whether the silence mutes an alert with these labels at `now` (from its start, up to but not at its end). */
export function silenceMatches(silence: SilenceWindow, labels: Readonly<Record<string, string>>, now: number): boolean {
  return silence.startsAt <= now && now < silence.endsAt && silence.matchers.every((m) => matcherHolds(m, labels));
}

/** The ids of the silences muting an alert with these labels at `now`. */
export function silencesOf(silences: readonly SilenceWindow[], labels: Readonly<Record<string, string>>, now: number): number[] {
  return silences.filter((s) => silenceMatches(s, labels, now)).map((s) => s.id);
}

/** The labels an alert is matched with before it fired (pending: no event yet): those Stellar sets on every alert. */
export function baseAlertLabels(rule: string, cluster: { readonly id: number; readonly name: string }, severity: string): Record<string, string> {
  return { alertname: rule, cluster: cluster.name, cluster_id: String(cluster.id), severity };
}
