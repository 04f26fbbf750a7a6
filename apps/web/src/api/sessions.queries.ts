import type { CreateSessionBody, Session, SessionStatus } from '@ccr/protocol/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api } from './api-client';
import type { ApiError } from './api-error';
import { meQueryKey, sessionQueryKey, sessionsQueryKey } from './query-keys';
import { useAuth } from './auth-context';

export function useMe() {
  const { state } = useAuth();
  return useQuery({
    queryKey: meQueryKey,
    queryFn: () => api.me(),
    enabled: state.status === 'signedIn',
    staleTime: Infinity,
  });
}

export function useSessions() {
  return useQuery<Session[], ApiError>({
    queryKey: sessionsQueryKey,
    queryFn: () => api.listSessions(),
  });
}

export function useSession(id: string) {
  const queryClient = useQueryClient();
  return useQuery<Session, ApiError>({
    queryKey: sessionQueryKey(id),
    queryFn: () => api.getSession(id),
    // The list already holds the session when the user comes from it: show that at once.
    initialData: () =>
      queryClient.getQueryData<Session[]>(sessionsQueryKey)?.find((s) => s.id === id),
    initialDataUpdatedAt: () => queryClient.getQueryState(sessionsQueryKey)?.dataUpdatedAt,
  });
}

/** Writes a session into both the list and its detail entry. */
export function storeSession(queryClient: QueryClient, session: Session): void {
  queryClient.setQueryData(sessionQueryKey(session.id), session);
  queryClient.setQueryData<Session[]>(sessionsQueryKey, (list) => {
    if (!list) {
      return list;
    }
    const index = list.findIndex((s) => s.id === session.id);
    if (index === -1) {
      return [session, ...list];
    }
    return list.map((s) => (s.id === session.id ? session : s));
  });
}

export function removeSession(queryClient: QueryClient, sessionId: string): void {
  queryClient.setQueryData<Session[]>(sessionsQueryKey, (list) =>
    list?.filter((s) => s.id !== sessionId),
  );
  queryClient.removeQueries({ queryKey: sessionQueryKey(sessionId), exact: true });
}

/**
 * Applies a live status change. Returns false when the session is not cached, so the caller
 * knows to refetch (a session created in another tab, for instance).
 */
export function applySessionStatus(
  queryClient: QueryClient,
  sessionId: string,
  status: SessionStatus,
  error: string | undefined,
): boolean {
  const update = (session: Session): Session => {
    const next: Session = { ...session, status };
    if (error !== undefined) {
      next.error = error;
    } else if (status !== 'failed') {
      delete next.error;
    }
    return next;
  };
  let found = false;
  queryClient.setQueryData<Session>(sessionQueryKey(sessionId), (session) => {
    if (!session) {
      return session;
    }
    found = true;
    return update(session);
  });
  queryClient.setQueryData<Session[]>(sessionsQueryKey, (list) => {
    if (!list) {
      return list;
    }
    return list.map((s) => {
      if (s.id !== sessionId) {
        return s;
      }
      found = true;
      return update(s);
    });
  });
  return found;
}

export function useCreateSession() {
  const queryClient = useQueryClient();
  return useMutation<Session, ApiError, CreateSessionBody>({
    mutationFn: (body) => api.createSession(body),
    onSuccess: (session) => storeSession(queryClient, session),
  });
}

export function useStopSession() {
  const queryClient = useQueryClient();
  return useMutation<Session, ApiError, string>({
    mutationFn: (id) => api.stopSession(id),
    onSuccess: (session) => storeSession(queryClient, session),
  });
}

export function useStartSession() {
  const queryClient = useQueryClient();
  return useMutation<Session, ApiError, string>({
    mutationFn: (id) => api.startSession(id),
    onSuccess: (session) => storeSession(queryClient, session),
  });
}

export function useDeleteSession() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, string>({
    mutationFn: (id) => api.deleteSession(id),
    onSuccess: (_result, id) => removeSession(queryClient, id),
  });
}
