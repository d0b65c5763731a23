/**
 * What some tests need that a plain clone does not have: the public captures kept beside the
 * repository (../shared, never committed: see fixtures.ts) and a built dist/ (built-tree.ts).
 * Without it those tests skip and say why; CI sets the STELLAR_REQUIRE_* variable named with
 * each (.ci/run), and there a missing part fails the run instead of skipping.
 *
 *   describe.skipIf(reason !== null)(`my tests${skipNote(reason)}`, () => { … });
 */

/** `missing` (why the part is absent) or null when present; throws when `requiredBy`=1. */
export function skipReason(missing: string | null, requiredBy: string): string | null {
  if (missing !== null && process.env[requiredBy] === '1') throw new Error(`${requiredBy}=1 but ${missing}`);
  return missing;
}

/** " (skipped: …)" for a describe title when a part is missing, so the report says why. */
export function skipNote(reason: string | null): string {
  if (reason === null) return '';
  // The default reporter does not list skipped titles: say it on the console too.
  console.warn(`tests skipped: ${reason}`);
  return ` (skipped: ${reason})`;
}
