import { CssBaseline, ThemeProvider } from '@mui/material';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { isApiError } from './api/api-error';
import { AuthProvider } from './api/auth-context';
import { AppShell } from './components/AppShell/app-shell';
import { FullPageSpinner, RequireAdmin, RequireAuth } from './components/AppShell/require-auth';
import { LoginPage } from './pages/Login/login-page';
import { SessionsPage } from './pages/Sessions/sessions-page';
import { theme } from './theme';

// xterm and its addons are most of the bundle: load them with the page that needs them.
const SessionPage = lazy(() =>
  import('./pages/Session/session-page').then((m) => ({ default: m.SessionPage })),
);

const ProfilePage = lazy(() =>
  import('./pages/Profile/profile-page').then((m) => ({ default: m.ProfilePage })),
);
const UsersPage = lazy(() =>
  import('./pages/Users/users-page').then((m) => ({ default: m.UsersPage })),
);
const AuditPage = lazy(() =>
  import('./pages/Audit/audit-page').then((m) => ({ default: m.AuditPage })),
);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Client errors (404, 403) will not change on retry; network and 5xx may.
      retry: (failures, error) =>
        failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      staleTime: 10_000,
    },
  },
});

export function App() {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      <QueryClientProvider client={queryClient}>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppShell />
                  </RequireAuth>
                }
              >
                <Route index element={<SessionsPage />} />
                <Route
                  path="profile"
                  element={
                    <Suspense fallback={<FullPageSpinner />}>
                      <ProfilePage />
                    </Suspense>
                  }
                />
                <Route
                  path="admin/users"
                  element={
                    <RequireAdmin>
                      <Suspense fallback={<FullPageSpinner />}>
                        <UsersPage />
                      </Suspense>
                    </RequireAdmin>
                  }
                />
                <Route
                  path="admin/audit"
                  element={
                    <RequireAdmin>
                      <Suspense fallback={<FullPageSpinner />}>
                        <AuditPage />
                      </Suspense>
                    </RequireAdmin>
                  }
                />
                <Route
                  path="sessions/:id"
                  element={
                    <Suspense fallback={<FullPageSpinner />}>
                      <SessionPage />
                    </Suspense>
                  }
                />
              </Route>
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </QueryClientProvider>
    </ThemeProvider>
  );
}
