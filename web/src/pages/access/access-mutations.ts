/**
 * The access page's changes (users, personal tokens) as mutations of the console's query client.
 * Each asks again for the lists on screen.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreatedTokenJson, CreateTokenInput, CreateUserInput, UserJson } from '@shared/api/users.js';
import type { Role } from '@shared/roles.js';
import { API_DATA_KEY, apiSend } from '../../app/api-client.js';

function useAccessMutation<V, R>(send: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSuccess: () => void client.invalidateQueries({ queryKey: [API_DATA_KEY] }) });
}

export const useCreateUser = () => useAccessMutation((body: CreateUserInput) => apiSend<UserJson>('POST', '/api/users', body));
export const useSetRole = () => useAccessMutation(({ id, role }: { id: number; role: Role }) => apiSend<UserJson>('PUT', `/api/users/${id}/role`, { role }));
export const useResetPassword = () => useAccessMutation(({ id, password }: { id: number; password: string }) => apiSend<undefined>('PUT', `/api/users/${id}/password`, { new_password: password }));
export const useDeleteUser = () => useAccessMutation((id: number) => apiSend<undefined>('DELETE', `/api/users/${id}`));
export const useCreateToken = () => useAccessMutation((body: CreateTokenInput) => apiSend<CreatedTokenJson>('POST', '/api/auth/tokens', body));
export const useRevokeToken = () => useAccessMutation((id: number) => apiSend<undefined>('DELETE', `/api/auth/tokens/${id}`));
