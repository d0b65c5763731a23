/**
 * The clusters page's changes and connection tests, as mutations of the console's query client.
 * A change to the registry asks again for every API query on screen (the list, and the fleet
 * and overviews when next shown), so no page shows the registry as it was.
 */
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ClusterJson } from '@shared/api/clusters.js';
import type { ConnectionTestJson } from '@shared/api/connection-test.js';
import { API_DATA_KEY, apiSend } from '../../app/api-client.js';

/** Not awaited: the dialog closes at once and the list follows. */
function registryChanged(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: [API_DATA_KEY] });
}

/** POST /api/clusters (`id` null) or PUT /api/clusters/:id, with the body the form built. */
export function useSaveCluster() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: unknown }) =>
      id === null ? apiSend<ClusterJson>('POST', '/api/clusters', body) : apiSend<ClusterJson>('PUT', `/api/clusters/${id}`, body),
    onSuccess: () => registryChanged(client),
  });
}

export function useDeleteCluster() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend<undefined>('DELETE', `/api/clusters/${id}`),
    onSuccess: (_, id) => {
      // Its overview is gone with it: "there is no cluster N", not its last charts marked stale.
      client.removeQueries({ queryKey: [API_DATA_KEY, `/api/clusters/${id}/overview`] });
      registryChanged(client);
    },
  });
}

/** A stored cluster with its stored settings (`clusterId`), or the values of a form (`body`). */
export type ConnectionTestTarget = { clusterId: number } | { body: unknown };

export function useConnectionTest() {
  return useMutation({
    mutationFn: (target: ConnectionTestTarget) =>
      'clusterId' in target
        ? apiSend<ConnectionTestJson>('POST', `/api/clusters/${target.clusterId}/test`)
        : apiSend<ConnectionTestJson>('POST', '/api/clusters/test-connection', target.body),
  });
}
