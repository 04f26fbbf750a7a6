import { CommitBlockedSchema, CommitSchema, type SessionCommit } from '@ccr/protocol/agent';
import type { Event } from '@ccr/protocol/events';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api, type CommitNowResult } from './api-client';
import type { ApiError } from './api-error';
import { blockedQueryKey, commitsQueryKey } from './query-keys';

/** A secret the auto-commit held back, as announced by a commit.blocked event. */
export interface BlockedEntry {
  id: string;
  at: string;
  file: string;
  line: number | null;
  kind: string;
}

const MAX_BLOCKED_KEPT = 50;

export function useCommits(sessionId: string) {
  return useQuery<SessionCommit[], ApiError>({
    queryKey: commitsQueryKey(sessionId),
    queryFn: () => api.listCommits(sessionId),
  });
}

/** Blocked commits are only known from live events; the cache holds them for the page's life. */
export function useBlockedCommits(sessionId: string) {
  const queryClient = useQueryClient();
  return useQuery<BlockedEntry[]>({
    queryKey: blockedQueryKey(sessionId),
    queryFn: () => queryClient.getQueryData<BlockedEntry[]>(blockedQueryKey(sessionId)) ?? [],
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function useCommitNow(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation<CommitNowResult, ApiError, string | undefined>({
    mutationFn: (message) => api.commitNow(sessionId, message),
    // The commit.created event usually lands first; refetching covers a stream that was down.
    onSuccess: (result) => {
      if (result.commit) {
        void queryClient.invalidateQueries({ queryKey: commitsQueryKey(sessionId) });
      }
    },
  });
}

/**
 * Applies commit.created and commit.blocked events to the cache. Returns whether the event
 * was one of them.
 */
export function applyCommitEvent(queryClient: QueryClient, event: Event): boolean {
  if (event.type === 'commit.created') {
    const parsed = CommitSchema.safeParse(event.data);
    if (!parsed.success) {
      void queryClient.invalidateQueries({ queryKey: commitsQueryKey(event.sessionId) });
      return true;
    }
    const { sha, message, author, files, insertions, deletions, pushed } = parsed.data;
    const commit: SessionCommit = {
      sha,
      message,
      author,
      at: event.at,
      files,
      insertions,
      deletions,
      pushed,
    };
    queryClient.setQueryData<SessionCommit[]>(commitsQueryKey(event.sessionId), (list) =>
      // Without a loaded list there is nothing to keep in step: the first read fetches it.
      list === undefined ? undefined : [commit, ...list.filter((c) => c.sha !== sha)],
    );
    return true;
  }
  if (event.type === 'commit.blocked') {
    const parsed = CommitBlockedSchema.safeParse(event.data);
    if (parsed.success) {
      const entry: BlockedEntry = { id: event.id, at: event.at, ...parsed.data };
      queryClient.setQueryData<BlockedEntry[]>(blockedQueryKey(event.sessionId), (list = []) =>
        [entry, ...list.filter((b) => b.id !== entry.id)].slice(0, MAX_BLOCKED_KEPT),
      );
    }
    return true;
  }
  return false;
}
