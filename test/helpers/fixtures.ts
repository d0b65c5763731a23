/**
 * The real StarRocks captures and readers for the three ways they are written: vertical `\G`
 * output, ASCII tables, and raw bodies; and the Prometheus text-format conformance cases.
 *
 * Both are copied from public sources (StarRocks docs, issues and PRs; the Prometheus projects'
 * parser tests) and stay outside the repository, in ../shared beside the clone: the project
 * never commits them. Without them the tests that read them skip and say why; CI has them and
 * sets STELLAR_REQUIRE_SHARED=1 (.ci/run), so there a missing folder fails the run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { skipReason } from './requirements.js';

export const REAL_FIXTURES_DIR = fileURLToPath(new URL('../../../shared/fixtures/starrocks/real/', import.meta.url));
/** The conformance suite: `python3 run.py` from the project's root runs it through the built CLI. */
export const PROMETHEUS_CONFORMANCE_DIR = fileURLToPath(new URL('../../../shared/conformance/prometheus-text/', import.meta.url));

const sharedSkipReason = (dir: string, what: string) =>
  skipReason(existsSync(dir) ? null : `${dir} is missing: ${what}, copied from public sources, are kept beside the repository, never in it`, 'STELLAR_REQUIRE_SHARED');

/** Why the tests of the real captures cannot run here, or null when they can. */
export const realFixturesSkipReason = sharedSkipReason(REAL_FIXTURES_DIR, 'the real StarRocks captures');
/** Why the Prometheus text-format conformance suite cannot run here, or null when it can. */
export const conformanceSkipReason = sharedSkipReason(PROMETHEUS_CONFORMANCE_DIR, 'the Prometheus text-format conformance cases');

export function realFixtureNames(): string[] {
  return readdirSync(REAL_FIXTURES_DIR).filter((f) => f !== 'SOURCES.md').sort();
}

export function readRealFixture(name: string): string {
  return readFileSync(REAL_FIXTURES_DIR + name, 'utf8');
}

/** `SHOW …\G`: the first row, as [title, value] pairs in order (a trailing space in a value kept). */
export function parseVerticalRow(text: string): [string, string][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\*+\[? ?1\. row/.test(l));
  const pairs: [string, string][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\*+/.test(line) || /rows? in set/.test(line) || line.trim() === '') break;
    const match = /^\s*([A-Za-z]+)(?::|\s+\|) ?(.*)$/.exec(line);
    if (match?.[1] !== undefined) pairs.push([match[1], match[2] ?? '']);
  }
  return pairs;
}

/** An ASCII table (`+---+` borders): its titles and rows of trimmed cells. */
export function parseAsciiTable(text: string): { columns: string[]; rows: string[][] } {
  const rows = text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  return { columns: rows[0] ?? [], rows: rows.slice(1) };
}

/**
 * The shape of a value as a format: an integer part collapses to 9, fraction digits are kept
 * as 9s (their count matters), byte units become U. So `25.122 GB` and `1.968 TB` have one
 * shape, while `27.423GB` (no space) and `44.7 %` (one decimal) have others.
 */
export function valueShape(value: string): string {
  return value
    .replace(/\d+(\.\d+)?/g, (_, fraction?: string) => (fraction === undefined ? '9' : `9.${'9'.repeat(fraction.length - 1)}`))
    .replace(/\b[KMGT]?B\b/g, 'U');
}
