import LogoutIcon from '@mui/icons-material/Logout';
import {
  AppBar,
  Avatar,
  Box,
  IconButton,
  Stack,
  Toolbar,
  Tooltip,
  Typography,
} from '@mui/material';
import { Link as RouterLink, Outlet, useNavigate } from 'react-router';
import { useAuth } from '../../api/auth-context';
import { useLiveEvents } from '../../api/live-events';
import { useMe } from '../../api/sessions.queries';
import { strings } from '../../strings';
import { Logo } from './logo';

export function AppShell() {
  const { state, logout } = useAuth();
  const me = useMe();
  const navigate = useNavigate();
  const live = useLiveEvents(state.status === 'signedIn');
  const email = me.data?.email ?? (state.status === 'signedIn' ? state.user.email : '');

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <AppBar position="sticky">
        <Toolbar variant="dense" sx={{ gap: 1.5, minHeight: 56 }}>
          <Stack
            component={RouterLink}
            to="/"
            direction="row"
            spacing={1.25}
            alignItems="center"
            sx={{ color: 'inherit', textDecoration: 'none' }}
          >
            <Logo />
            <Typography variant="subtitle1" sx={{ fontWeight: 700, letterSpacing: '-0.01em' }}>
              {strings.productName}
            </Typography>
          </Stack>
          <Box sx={{ flex: 1 }} />
          <Tooltip
            title={live === 'open' ? strings.shell.liveConnected : strings.shell.liveReconnecting}
          >
            <Box
              data-testid="live-events"
              data-state={live}
              sx={{
                width: 8,
                height: 8,
                borderRadius: '50%',
                bgcolor: live === 'open' ? 'success.main' : 'warning.main',
              }}
            />
          </Tooltip>
          <Stack direction="row" spacing={1} alignItems="center" sx={{ minWidth: 0 }}>
            <Avatar
              sx={{
                width: 28,
                height: 28,
                fontSize: 13,
                bgcolor: '#2d333b',
                color: 'text.primary',
              }}
            >
              {email.slice(0, 1).toUpperCase()}
            </Avatar>
            <Typography
              variant="body2"
              color="text.secondary"
              data-testid="user-email"
              noWrap
              sx={{ display: { xs: 'none', sm: 'block' }, maxWidth: 240 }}
            >
              {email}
            </Typography>
          </Stack>
          <Tooltip title={strings.shell.logout}>
            <IconButton
              aria-label={strings.shell.logout}
              size="small"
              onClick={() => {
                void logout().finally(() => navigate('/login', { replace: true }));
              }}
            >
              <LogoutIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Box
        component="main"
        sx={{ flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 }}
      >
        <Outlet />
      </Box>
    </Box>
  );
}
