import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../api/api-error';
import { useAuth } from '../../api/auth-context';
import { FullPageSpinner } from '../../components/AppShell/require-auth';
import { Logo } from '../../components/AppShell/logo';
import { strings } from '../../strings';

function loginErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.isNetwork) {
      return strings.networkError;
    }
    if (error.status === 401 || error.status === 400) {
      return strings.login.invalidCredentials;
    }
    if (error.status === 429) {
      return strings.login.tooManyAttempts;
    }
  }
  return strings.unexpectedError;
}

export function LoginPage() {
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  if (state.status === 'restoring') {
    return <FullPageSpinner />;
  }
  if (state.status === 'signedIn' && !submitting) {
    return <Navigate to={from} replace />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await login({ email: email.trim(), password });
      void navigate(from, { replace: true });
    } catch (e) {
      setError(loginErrorMessage(e));
      setSubmitting(false);
    }
  };

  return (
    <Box
      sx={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        px: 2,
        background:
          'radial-gradient(1200px 600px at 50% -10%, rgba(224, 135, 95, 0.14), transparent 60%), #0d1117',
      }}
    >
      <Stack spacing={3} alignItems="center" sx={{ width: '100%', maxWidth: 400 }}>
        <Stack direction="row" spacing={1.5} alignItems="center">
          <Logo size={36} />
          <Typography variant="h5">{strings.productName}</Typography>
        </Stack>
        <Paper
          variant="outlined"
          component="form"
          noValidate
          onSubmit={(e) => void submit(e)}
          sx={{ p: 4, width: '100%' }}
        >
          <Stack spacing={2.5}>
            <Box>
              <Typography variant="h6" component="h1">
                {strings.login.title}
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
                {strings.login.subtitle}
              </Typography>
            </Box>
            {error && (
              <Alert severity="error" variant="outlined" data-testid="login-error">
                {error}
              </Alert>
            )}
            <TextField
              label={strings.login.email}
              type="email"
              name="email"
              autoComplete="username"
              autoFocus
              required
              fullWidth
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <TextField
              label={strings.login.password}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              fullWidth
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <Button
              type="submit"
              variant="contained"
              size="large"
              disabled={submitting || email.trim() === '' || password === ''}
            >
              {submitting ? strings.login.submitting : strings.login.submit}
            </Button>
          </Stack>
        </Paper>
      </Stack>
    </Box>
  );
}
