/**
 * Prometheus text format (0.0.4, plus the OpenMetrics bits seen in the wild) as StarRocks and
 * Doris FEs and BEs really print it (the rules of prometheus/prometheus `model/textparse`;
 * StarRocks' `PrometheusMetricVisitor`).
 *
 * Hand-written because the npm parsers measured fall short:
 * `parse-prometheus-text-format` merges labelled summaries into one series and drops their
 * labels, `prom2javascript` throws on `NaN`, and none is faster than ~60 MB/s.
 *
 * Throws only when a limit is passed (ParseLimitError: more series or a longer line than the
 * caller accepts); bad lines never throw. Handled: LF or CRLF (`\r` stripped, one warning); blank lines; leading and trailing
 * blanks; blanks inside `{}` around `=` and `,`; a trailing comma and `{}`; label value escapes
 * `\\`, `\"`, `\n` (others kept verbatim); quoted UTF-8 names (`{"http.server.requests",
 * "method"="get"}`); Go-style floats with Java's `1.2345678E7`, NaN/Inf in any case, no hex or
 * `_`; integer-millisecond timestamps, or OpenMetrics float seconds turned into milliseconds;
 * `# HELP`/`# TYPE` anywhere, also with the FE's double space; `#HELP` and other `#` lines as
 * comments; OpenMetrics exemplars ignored.
 *
 * Families: a TYPE is remembered per name for the whole payload, so a family split across the
 * body (StarRocks 3.5) is one family with its samples in order. `_sum`/`_count`/`_created` (and
 * `_bucket` of a histogram) join a family only when a TYPE line declares it summary or histogram,
 * never by suffix alone. A sample name's family is decided when the name is first seen. Duplicate
 * series (same name and label set, in any order or spelling) keep the first sample. Bad lines are
 * skipped and counted.
 *
 * Speed (docs/BENCHMARKS.md): the hot path (prometheus-payload.ts) reads the payload's code units in a typed array,
 * guesses each line's name and compares it in place, reads labels against the name's first line,
 * interns label values (samples share them), and finds duplicates by tuples of ints; what it does
 * not take goes to the general scanner (prometheus-lexer.ts), which reads every spelling.
 */
import { PayloadParser } from './prometheus-payload.js';
import type { ParseLimits, ParsedMetrics } from './prometheus-result.js';

export type { MetricFamily, MetricType, Sample } from './prometheus-families.js';
export { unescapeHelp } from './prometheus-families.js';
export { ParseLimitError, type ParseLimits, type ParsedMetrics, type ParseWarning } from './prometheus-result.js';

const NO_LIMITS: ParseLimits = { max_series: Infinity, max_line_length: Infinity };

export function parsePrometheusText(text: string, limits: ParseLimits = NO_LIMITS): ParsedMetrics {
  return new PayloadParser(text, limits).parse();
}

/**
 * How long a parse in slices holds the event loop before it lets other work run: a body at the
 * size limit (tens of MB, seconds of parsing) never delays `/healthz` or another cluster's
 * answer by more than about this. A real FE's body (tens of KB, well under a millisecond) is
 * parsed in one go.
 */
export const PARSE_SLICE_MS = 8;

/**
 * `parsePrometheusText`, yielding to the event loop whenever a slice has taken `PARSE_SLICE_MS`.
 * In slices, not in a worker thread: a worker would have to copy the parsed families back
 * (a structured clone of every sample), which costs about as much as the parse itself
 * (docs/BENCHMARKS.md).
 */
export async function parsePrometheusTextInSlices(text: string, limits: ParseLimits = NO_LIMITS): Promise<ParsedMetrics> {
  const parser = new PayloadParser(text, limits);
  parser.readFor(PARSE_SLICE_MS);
  while (!parser.done) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    parser.resume();
    parser.readFor(PARSE_SLICE_MS);
  }
  return parser.result();
}
