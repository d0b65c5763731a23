/**
 * The path parameter of /api/clusters/:id and the routes under it. The bodies of /api/clusters
 * are src/shared/api/clusters.ts, which the console's cluster form validates with too.
 */
import { z } from 'zod';
import { idParam } from '../../schema-fields.js';

export const ClusterIdParams = z.object({ id: idParam });
