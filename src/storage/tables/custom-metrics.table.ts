/** A custom metric made through the API (src/shared/custom-metrics.ts), as written. */
export interface CustomMetricsTable {
  name: string;
  /** JSON of the definition as sent. */
  definition: string;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}
