/**
 * Making, changing and deleting alert rules, silences and acknowledgements through the API, as
 * mutations of the console's query client. A change asks again for every API query on screen:
 * the rule list, the silences, and what fires.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AlertRuleSource } from '@shared/alerts/alert-rule.js';
import type { SilenceInput } from '@shared/alerts/alert-silence.js';
import type { AckResultJson, SilenceJson } from '@shared/api/alert-silences.js';
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

export function useUpdateRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertRuleSource & { name: string }) => apiSend<AlertRuleJson>('PUT', `/api/alert-rules/${encodeURIComponent(body.name)}`, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function useCreateSilence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SilenceInput) => apiSend<SilenceJson>('POST', '/api/alerts/silences', body),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function useExpireSilence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend<undefined>('DELETE', `/api/alerts/silences/${id}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function useAcknowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ack: { rule: string; clusterId: number; comment: string }) => apiSend<AckResultJson>('POST', `/api/alerts/firing/${encodeURIComponent(ack.rule)}/${ack.clusterId}/ack`, { comment: ack.comment }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}

export function useWithdrawAck() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ack: { rule: string; clusterId: number }) => apiSend<undefined>('DELETE', `/api/alerts/firing/${encodeURIComponent(ack.rule)}/${ack.clusterId}/ack`),
    onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }),
  });
}
