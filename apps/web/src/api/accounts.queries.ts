import type {
  AuditEntry,
  ChangePasswordBody,
  CreatedToken,
  CreateTokenBody,
  CreateUserBody,
  ManagedUser,
  PersonalAccessToken,
  UpdateUserBody,
} from '@ccr/protocol/accounts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type AuditFilters } from './api-client';
import type { ApiError } from './api-error';
import { auditQueryKey, tokensQueryKey, usersQueryKey } from './query-keys';

export const AUDIT_PAGE_SIZE = 50;

export function useChangePassword() {
  return useMutation<void, ApiError, ChangePasswordBody>({
    mutationFn: (body) => api.changePassword(body),
  });
}

export function useTokens() {
  return useQuery<PersonalAccessToken[], ApiError>({
    queryKey: tokensQueryKey,
    queryFn: () => api.listTokens(),
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation<CreatedToken, ApiError, CreateTokenBody>({
    mutationFn: (body) => api.createToken(body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensQueryKey }),
  });
}

export function useDeleteToken() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, string>({
    mutationFn: (id) => api.deleteToken(id),
    onSuccess: (_result, id) => {
      queryClient.setQueryData<PersonalAccessToken[]>(tokensQueryKey, (list) =>
        list?.filter((t) => t.id !== id),
      );
    },
  });
}

export function useUsers(enabled = true) {
  return useQuery<ManagedUser[], ApiError>({
    queryKey: usersQueryKey,
    queryFn: () => api.listUsers(),
    enabled,
  });
}

function storeUser(list: ManagedUser[] | undefined, user: ManagedUser): ManagedUser[] {
  if (!list) {
    return [user];
  }
  return list.some((u) => u.id === user.id)
    ? list.map((u) => (u.id === user.id ? user : u))
    : [...list, user];
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation<ManagedUser, ApiError, CreateUserBody>({
    mutationFn: (body) => api.createUser(body),
    onSuccess: (user) =>
      queryClient.setQueryData(usersQueryKey, (list?: ManagedUser[]) => storeUser(list, user)),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation<ManagedUser, ApiError, { id: string; body: UpdateUserBody }>({
    mutationFn: ({ id, body }) => api.updateUser(id, body),
    onSuccess: (user) =>
      queryClient.setQueryData(usersQueryKey, (list?: ManagedUser[]) => storeUser(list, user)),
  });
}

export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, string>({
    mutationFn: (id) => api.deleteUser(id),
    onSuccess: (_result, id) => {
      queryClient.setQueryData<ManagedUser[]>(usersQueryKey, (list) =>
        list?.filter((u) => u.id !== id),
      );
    },
  });
}

/** The audit log, newest first, a page at a time (each page continues before the last id). */
export function useAudit(filters: Omit<AuditFilters, 'before' | 'limit'>) {
  return useInfiniteQuery<AuditEntry[], ApiError>({
    queryKey: [...auditQueryKey, filters],
    initialPageParam: undefined,
    queryFn: ({ pageParam, signal }) =>
      api.listAudit(
        { ...filters, limit: AUDIT_PAGE_SIZE, before: pageParam as string | undefined },
        signal,
      ),
    getNextPageParam: (last) =>
      last.length < AUDIT_PAGE_SIZE ? undefined : last[last.length - 1]?.id,
  });
}
