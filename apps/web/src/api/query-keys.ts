export const meQueryKey = ['me'] as const;
export const sessionsQueryKey = ['sessions'] as const;
export const sessionQueryKey = (id: string) => ['sessions', id] as const;
