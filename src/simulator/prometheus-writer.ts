/**
 * Writes Prometheus text the way a StarRocks FE does (its `metric/PrometheusMetricVisitor.java`):
 * `# HELP`/`# TYPE` only before the first series of a name in the whole body, labels
 * joined by `", "` without escaping, values already in Java's number format. BE text differs
 * (TYPE only, `","`), so the writer takes the style.
 */

export type Labels = readonly (readonly [string, string])[];

export interface WriterStyle {
  /** `", "` on the FE, `","` on the BE. */
  readonly labelSeparator: string;
  /** The BE prints no `# HELP` for its native metrics. */
  readonly help: boolean;
}

export const FE_STYLE: WriterStyle = { labelSeparator: ', ', help: true };
export const BE_STYLE: WriterStyle = { labelSeparator: ',', help: false };

export class PrometheusWriter {
  private readonly lines: string[] = [];
  private readonly described = new Set<string>();

  constructor(private readonly style: WriterStyle) {}

  /** One series; the header goes out only if this name has not been described yet. */
  series(name: string, type: string, help: string, labels: Labels, value: string): void {
    this.header(name, type, help);
    this.sample(name, labels, value);
  }

  /** HELP and TYPE for `name` unless already written. */
  header(name: string, type: string, help: string): void {
    if (this.described.has(name)) return;
    this.described.add(name);
    if (this.style.help) this.lines.push(`# HELP ${name} ${help}`);
    this.lines.push(`# TYPE ${name} ${type}`);
  }

  /**
   * The JVM and `node_info` headers are built with a joiner over `"# HELP "`, which leaves a
   * double space before the name; `node_info` has no HELP at all.
   */
  jvmHeader(name: string, help: string | null): void {
    if (this.described.has(name)) return;
    this.described.add(name);
    if (help !== null) this.lines.push(`# HELP  ${name} ${help}`);
    this.lines.push(`# TYPE  ${name} gauge`);
  }

  sample(name: string, labels: Labels, value: string): void {
    if (labels.length === 0) {
      this.lines.push(`${name} ${value}`);
      return;
    }
    const inner = labels.map(([k, v]) => `${k}="${v}"`).join(this.style.labelSeparator);
    this.lines.push(`${name}{${inner}} ${value}`);
  }

  /** A sample line the caller spelled itself: Doris' labelled summaries join labels by `,` and write `_sum {…}`. */
  raw(line: string): void {
    this.lines.push(line);
  }

  /** Repeat the last sample line: the duplicate-series defect of StarRocks/starrocks#59201. */
  repeatLast(): void {
    const last = this.lines[this.lines.length - 1];
    if (last !== undefined && !last.startsWith('#')) this.lines.push(last);
  }

  text(lineEnding: '\n' | '\r\n' = '\n'): string {
    return this.lines.length === 0 ? '' : this.lines.join(lineEnding) + lineEnding;
  }
}
