/**
 * Making and deleting alert rules through the API, as mutations of the console's query client.
 * A change asks again for every API query on screen: the rule list, and what fires.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AlertRuleSource } from '@shared/alerts/alert-rule.js';
import type { AlertRuleJson } from '@shared/api/alerts.js';
import { API_DATA_KEY, apiSend } from '../../app/api-client.js';

export function useCreateRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertRuleSource) => apiSend<AlertRuleJson>('POST', '/api/alert-rules', body),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function useDeleteRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiSend<undefined>('DELETE', `/api/alert-rules/${encodeURIComponent(name)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}
