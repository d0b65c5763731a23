/**
 * `stellar inspect metrics FILE|-`, `stellar inspect snapshot --metrics F… …` and `stellar
 * inspect custom` (inspect-custom.ts): what Stellar
 * reads from captured FE output, so an operator can see why a real cluster's numbers look as
 * they do. Node lists are read as the `/api/show_proc` JSON body or as `SHOW …` text output.
 */
import { readFileSync } from 'node:fs';
import type { RawScrape } from '../../collector/raw-scrape.js';
import { buildSnapshot, EMPTY_MEMORY } from '../../collector/snapshot-builder.js';
import { StellarError } from '../../errors.js';
import { ENGINES, type Engine } from '../../shared/cluster-kinds.js';
import { type RuntimeInfo, runtimeInfoFrom, unwrapDorisEnvelope } from '../../starrocks/fe-json.js';
import { parseFrontendRows, parseNodeRows } from '../../starrocks/parse/node-lists.js';
import { parsePrometheusText, type ParsedMetrics } from '../../starrocks/parse/prometheus-text.js';
import { type ProcTable, procTableFromJson } from '../../starrocks/proc-table.js';
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { inspectCustom } from './inspect-custom.js';

export async function inspectCommand(line: ParsedCommandLine, io: CliIO & { readonly stdin?: NodeJS.ReadableStream }): Promise<number> {
  const [what, file] = line.positionals;
  if (what === 'metrics') {
    if (file === undefined) throw new StellarError('STELLAR_ERR_USAGE', 'stellar inspect metrics needs a FILE, or - for standard input');
    const text = file === '-' ? await readStdin(io.stdin ?? process.stdin) : readInput(file, 'FILE');
    io.stdout.write(JSON.stringify(metricsJson(parsePrometheusText(text)), null, 2) + '\n');
    return 0;
  }
  if (what === 'custom') {
    io.stdout.write(JSON.stringify(inspectCustom(line, io, readInput), null, 2) + '\n');
    return 0;
  }
  if (what === 'snapshot') {
    io.stdout.write(JSON.stringify(snapshotFromFiles(line.options), null, 2) + '\n');
    return 0;
  }
  throw new StellarError('STELLAR_ERR_USAGE', `stellar inspect ${what ?? ''} is not known; use "inspect metrics FILE|-", "inspect snapshot --metrics FILE …" or "inspect custom --metrics FILE … --config FILE"`.replace('  ', ' '));
}

/** JSON cannot hold NaN or ±Inf: they are written as the strings Prometheus uses. */
function jsonNumber(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value;
}

export function metricsJson(parsed: ParsedMetrics) {
  return {
    families: parsed.families.map((f) => ({
      name: f.name,
      type: f.type,
      help: f.help,
      samples: f.samples.map((s) => ({ ...(s.name === f.name ? {} : { name: s.name }), labels: s.labels, value: jsonNumber(s.value) })),
    })),
    warnings: parsed.warnings,
    samples: parsed.sampleCount,
    duplicates: parsed.duplicates,
    skipped_lines: parsed.skippedLines,
  };
}

function snapshotFromFiles(o: Record<string, string | boolean | string[]>) {
  const metricsFiles = Array.isArray(o.metrics) ? o.metrics : typeof o.metrics === 'string' ? [o.metrics] : [];
  if (metricsFiles.length === 0) throw new StellarError('STELLAR_ERR_USAGE', 'stellar inspect snapshot needs at least one --metrics FILE (one per FE)');
  const engine = typeof o.engine === 'string' ? o.engine : 'starrocks';
  if (!(ENGINES as readonly string[]).includes(engine)) throw new StellarError('STELLAR_ERR_USAGE', `--engine ${engine} is not accepted; accepted: ${ENGINES.join(', ')}`);
  const options = { engine: engine as Engine };
  const table = (flag: string): ProcTable | null => (typeof o[flag] === 'string' ? readNodeList(o[flag], `--${flag}`) : null);
  const backends = table('backends');
  const computeNodes = table('compute-nodes');
  const frontends = table('frontends');
  const metricsTexts = metricsFiles.map((f) => readInput(f, '--metrics'));
  const raw: RawScrape = {
    engine: options.engine,
    collectedAt: Date.now(),
    durationMs: 0,
    frontends: frontends && parseFrontendRows(frontends, options),
    backends: backends && parseNodeRows(backends, 'backend', options),
    computeNodes: computeNodes && parseNodeRows(computeNodes, 'compute_node', options),
    fes: metricsTexts.map((text, i) => ({ key: `file${i + 1}:${metricsFiles[i] ?? ''}`, leaderInList: false, metrics: parsePrometheusText(text), atMs: Date.now() })),
    bes: null,
    // The runtime info belongs to the FE of the first metrics file: its heap figures count
    // only when that file has no JVM families.
    runtime: typeof o.runtime === 'string' ? [{ key: metricsFiles[0] === undefined ? 'runtime' : `file1:${metricsFiles[0]}`, info: readRuntimeInfo(o.runtime, options.engine) }] : null,
    // Files, not sources asked: a file that cannot be read stops the command instead.
    sources: [],
    failures: [],
    metricsBytes: metricsTexts.reduce((bytes, text) => bytes + Buffer.byteLength(text), 0),
  };
  const built = buildSnapshot(raw, EMPTY_MEMORY);
  return { note: 'one collection from files: interval figures (deltas, rates from counters) need two and are null; qps and rps come from the FEs\' gauges', status: built.status, values: built.values };
}

/** A captured `/api/show_runtime_info` body (StarRocks' bare object or, with --engine doris, Doris' envelope). */
function readRuntimeInfo(path: string, engine: Engine): RuntimeInfo {
  const source = `--runtime ${path}`;
  try {
    return runtimeInfoFrom(unwrapDorisEnvelope(JSON.parse(readInput(path, '--runtime')), engine, source), source);
  } catch (err) {
    if (err instanceof StellarError) throw err;
    throw new StellarError('STELLAR_ERR_USAGE', `${source} is not a show_runtime_info body: ${(err as Error).message}`);
  }
}

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new StellarError('STELLAR_ERR_USAGE', `${what} ${path} cannot be read: ${(err as Error).message}`);
  }
}

function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(Buffer.from(c)));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/** A node list from a file: JSON (show_proc body), an ASCII table, or `\G` vertical output. */
export function readNodeList(path: string, what: string): ProcTable {
  const text = readInput(path, what);
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return procTableFromJson(JSON.parse(trimmed));
    } catch (err) {
      throw new StellarError('STELLAR_ERR_USAGE', `${what} ${path}: not a node list: ${(err as Error).message}`);
    }
  }
  const tableLines = text.split('\n').filter((l) => l.startsWith('|'));
  if (tableLines.length > 0) {
    const [header, ...rows] = tableLines.map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    return { columns: header ?? [], rows: rows.map((r) => r.map((c) => (c === 'NULL' ? null : c))) };
  }
  // `SHOW BACKENDS\G`: `*** N. row ***` then `Title: value` lines.
  const rows: [string, string][][] = [];
  for (const l of text.split('\n')) {
    if (/^\*+\[? ?\d+\. row/.test(l)) rows.push([]);
    const match = /^\s*([A-Za-z]+)(?::|\s+\|) ?(.*)$/.exec(l);
    if (match && rows.length > 0 && !/rows? in set/.test(l)) rows.at(-1)?.push([match[1] ?? '', match[2] ?? '']);
  }
  if (rows.length === 0) throw new StellarError('STELLAR_ERR_USAGE', `${what} ${path}: not a node list (JSON, an ASCII table or \\G output)`);
  return { columns: (rows[0] ?? []).map(([c]) => c), rows: rows.map((r) => r.map(([, v]) => (v === 'NULL' ? null : v))) };
}
