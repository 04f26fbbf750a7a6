export const meQueryKey = ['me'] as const;
export const sessionsQueryKey = ['sessions'] as const;
export const sessionQueryKey = (id: string) => ['sessions', id] as const;
export const commitsQueryKey = (id: string) => ['sessions', id, 'commits'] as const;
/** Secrets held back by the auto-commit, known only from live events (newest first). */
export const blockedQueryKey = (id: string) => ['sessions', id, 'blocked'] as const;
export const tokensQueryKey = ['tokens'] as const;
export const usersQueryKey = ['users'] as const;
export const auditQueryKey = ['audit'] as const;
