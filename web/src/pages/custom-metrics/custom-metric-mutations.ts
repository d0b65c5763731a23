/**
 * Making, replacing, deleting and previewing custom metrics through the API, as mutations of the
 * console's query client. A change asks again for every API query on screen.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CustomMetricSource } from '@shared/custom-metrics.js';
import type { CustomMetricJson, CustomMetricPreviewJson } from '@shared/api/custom-metrics.js';
import { API_DATA_KEY, apiSend } from '../../app/api-client.js';

export function useSaveMetric(editing: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CustomMetricSource) =>
      editing === null ? apiSend<CustomMetricJson>('POST', '/api/custom-metrics', body) : apiSend<CustomMetricJson>('PUT', `/api/custom-metrics/${encodeURIComponent(editing)}`, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function useDeleteMetric() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiSend<undefined>('DELETE', `/api/custom-metrics/${encodeURIComponent(name)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: ({ clusterId, metric }: { clusterId: number; metric: CustomMetricSource }) => apiSend<CustomMetricPreviewJson>('POST', `/api/clusters/${clusterId}/custom-metrics/preview`, metric),
  });
}
