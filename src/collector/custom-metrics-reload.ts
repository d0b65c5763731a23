/**
 * Custom metrics follow a configuration reload (SIGHUP, POST /api/admin/reload): the file's
 * `[[custom_metrics]]`, validated when the file was read (an invalid one refuses the whole
 * reload, the running set stays), replace the file-declared ones in force; the API ones are read
 * again with them. The collection picks the new set up at its next collection, no restart.
 */
import type { ReloadParticipant } from '../config/config-reloader.js';
import type { CustomMetricBook } from './custom-metric-book.js';

export function customMetricsReloadParticipant(book: CustomMetricBook): ReloadParticipant {
  return {
    name: 'custom metrics',
    apply: (_next, _changed, loaded) => book.replaceFileMetrics(loaded.customMetrics ?? []),
  };
}
