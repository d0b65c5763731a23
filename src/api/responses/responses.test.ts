/**
 * The response schemas (what the OpenAPI spec says) are exactly the shared types (what the
 * presenters build and the web console reads): checked by the compiler, run by vitest.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ClusterJson, ErrorJson, LoginJson, MeJson, ReadyJson } from '../../shared/api-types.js';
import type { ClusterNodesJson, ClusterOverviewJson, ConnectionTestJson, DailyRowsJson, FleetOverviewJson, HealthJson, SnapshotPageJson, TrendPoint } from '../../shared/overview-types.js';
import type { ClusterResponse, LoginResponse, MeResponse, ReadyResponse } from './clusters.js';
import type { ErrorResponse } from './http.js';
import type { ClusterNodesResponse, ConnectionTestResponse, DailyRowsResponse, SnapshotPageResponse } from './nodes.js';
import type { ClusterOverviewResponse, FleetOverviewResponse, HealthResponse, TrendPointResponse } from './overview.js';

describe('response schemas', () => {
  it('equal the shared JSON types', () => {
    expectTypeOf<z.output<typeof ClusterResponse>>().toEqualTypeOf<ClusterJson>();
    expectTypeOf<z.output<typeof LoginResponse>>().toEqualTypeOf<LoginJson>();
    expectTypeOf<z.output<typeof MeResponse>>().toEqualTypeOf<MeJson>();
    expectTypeOf<z.output<typeof ReadyResponse>>().toEqualTypeOf<ReadyJson>();
    expectTypeOf<z.output<typeof ErrorResponse>>().toEqualTypeOf<ErrorJson>();
    expectTypeOf<z.output<typeof TrendPointResponse>>().toEqualTypeOf<TrendPoint>();
    expectTypeOf<z.output<typeof HealthResponse>>().toEqualTypeOf<HealthJson>();
    expectTypeOf<z.output<typeof ClusterOverviewResponse>>().toEqualTypeOf<ClusterOverviewJson>();
    expectTypeOf<z.output<typeof FleetOverviewResponse>>().toEqualTypeOf<FleetOverviewJson>();
    expectTypeOf<z.output<typeof ClusterNodesResponse>>().toEqualTypeOf<ClusterNodesJson>();
    expectTypeOf<z.output<typeof ConnectionTestResponse>>().toEqualTypeOf<ConnectionTestJson>();
    expectTypeOf<z.output<typeof SnapshotPageResponse>>().toEqualTypeOf<SnapshotPageJson>();
    expectTypeOf<z.output<typeof DailyRowsResponse>>().toEqualTypeOf<DailyRowsJson>();
  });
});
