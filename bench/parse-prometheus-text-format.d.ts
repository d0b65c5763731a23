declare module 'parse-prometheus-text-format' {
  /** yunyu/parse-prometheus-text-format 1.1.1: families with metrics; no types of its own. */
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
