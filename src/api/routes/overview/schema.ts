/**
 * Query strings of the overview and fleet routes. Unknown parameters are refused (400), so a
 * typo such as `timerange=7d` is never silently answered with the default hour.
 */
import { z } from 'zod';
import { expecting, oneOf } from '../../../shared/api/fields.js';
import { FLEET_SORTS, MAX_FLEET_PAGE, SORT_ORDERS } from '../../../shared/api/fleet.js';
import { DEFAULT_MAX_POINTS, MAX_MAX_POINTS, TIME_RANGES } from '../../../shared/api/overview.js';
import { HEALTH_STATUSES } from '../../../shared/health.js';
import { idQueryParam, instantParam, listParam, oneOfListParam, queryObject, wholeNumberParam } from '../../schema-fields.js';

const windowParams = {
  time_range: oneOf(TIME_RANGES).optional().meta({ description: 'A window ending now (or at `to`); default 1h' }),
  from: instantParam().optional().meta({ description: 'Start: ISO 8601 with an offset, a date, or epoch ms' }),
  to: instantParam().optional().meta({ description: 'End (exclusive); default now' }),
  max_points: wholeNumberParam(1, MAX_MAX_POINTS).default(DEFAULT_MAX_POINTS).meta({ description: `Most buckets per trend, 1–${MAX_MAX_POINTS}; default ${DEFAULT_MAX_POINTS}` }),
};

export const ClusterOverviewQuery = queryObject(windowParams);

export const OverviewQuery = queryObject({ cluster_id: idQueryParam.meta({ description: 'The cluster' }), ...windowParams });

export const FleetQuery = queryObject({
  sort: oneOf(FLEET_SORTS)
    .default('name')
    .meta({ description: 'Sort key: name, status (urgency), score, or the latest qps, latency (p99), cpu (average), memory (average), disk (disk_usage_pct); default name' }),
  order: oneOf(SORT_ORDERS).default('asc').meta({ description: 'Default asc; clusters without the figure come last either way' }),
  tag: listParam().default([]).meta({ description: 'Only clusters that have every tag given (repeat `tag=` or separate with commas)' }),
  status: oneOfListParam(HEALTH_STATUSES)
    .default([])
    .meta({ description: 'Only clusters with one of these statuses (repeat or separate with commas); `counts` still counts every status' }),
  name: z.string(expecting('a string')).max(100, 'must be at most 100 characters').default('').meta({ description: 'Only clusters whose name contains this, without regard to case' }),
  limit: wholeNumberParam(1, MAX_FLEET_PAGE).optional().meta({ description: `A page of at most this many clusters (1–${MAX_FLEET_PAGE}); default every cluster the filters keep` }),
  offset: wholeNumberParam(0, 1_000_000).default(0).meta({ description: 'How many clusters of the ordered list the page skips; default 0' }),
});
