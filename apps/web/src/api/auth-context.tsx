import type { LoginBody, User } from '@ccr/protocol/api';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from './api-client';
import { meQueryKey } from './query-keys';

export type AuthState =
  { status: 'restoring' } | { status: 'signedOut' } | { status: 'signedIn'; user: User };

interface AuthContextValue {
  state: AuthState;
  login: (body: LoginBody) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'restoring' });

  const signIn = useCallback(
    (user: User) => {
      queryClient.setQueryData(meQueryKey, user);
      setState({ status: 'signedIn', user });
    },
    [queryClient],
  );

  const signOut = useCallback(() => {
    queryClient.clear();
    setState({ status: 'signedOut' });
  }, [queryClient]);

  useEffect(() => {
    let cancelled = false;
    // A reload keeps the user signed in: the httpOnly refresh cookie yields a new access token.
    api
      .restore()
      .catch(() => null)
      .then((user) => {
        if (cancelled) {
          return;
        }
        if (user) {
          signIn(user);
        } else {
          setState({ status: 'signedOut' });
        }
      })
      .catch(() => undefined);
    const unsubscribe = api.onSignedOut(signOut);
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [signIn, signOut]);

  const login = useCallback(
    async (body: LoginBody) => {
      signIn(await api.login(body));
    },
    [signIn],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      signOut();
    }
  }, [signOut]);

  const value = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth must be used inside <AuthProvider>');
  }
  return value;
}
