import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import GroupOutlinedIcon from '@mui/icons-material/GroupOutlined';
import LogoutIcon from '@mui/icons-material/Logout';
import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import PersonOutlineIcon from '@mui/icons-material/PersonOutline';
import {
  AppBar,
  Avatar,
  Box,
  ButtonBase,
  Divider,
  ListItemIcon,
  ListItemText,
  ListSubheader,
  Menu,
  MenuItem,
  Stack,
  Toolbar,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
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
  const isAdmin =
    (me.data?.role ?? (state.status === 'signedIn' ? state.user.role : 'user')) === 'admin';
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const go = (path: string) => {
    setMenuAnchor(null);
    void navigate(path);
  };

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
          <ButtonBase
            aria-label={strings.shell.account}
            aria-haspopup="menu"
            aria-expanded={menuAnchor !== null}
            data-testid="user-menu"
            onClick={(e) => setMenuAnchor(e.currentTarget)}
            sx={{ borderRadius: 2, px: 0.75, py: 0.5, gap: 1, minWidth: 0 }}
          >
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
            <ExpandMoreIcon fontSize="small" sx={{ color: 'text.secondary' }} />
          </ButtonBase>
          <Menu
            anchorEl={menuAnchor}
            open={menuAnchor !== null}
            onClose={() => setMenuAnchor(null)}
            anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
            transformOrigin={{ vertical: 'top', horizontal: 'right' }}
            slotProps={{ paper: { sx: { minWidth: 220, mt: 0.5 } } }}
          >
            <MenuItem onClick={() => go('/profile')}>
              <ListItemIcon>
                <PersonOutlineIcon fontSize="small" />
              </ListItemIcon>
              <ListItemText>{strings.shell.profile}</ListItemText>
            </MenuItem>
            {isAdmin && [
              <Divider key="divider" />,
              <ListSubheader key="admin" sx={{ lineHeight: '32px', bgcolor: 'transparent' }}>
                {strings.shell.adminSection}
              </ListSubheader>,
              <MenuItem key="users" onClick={() => go('/admin/users')}>
                <ListItemIcon>
                  <GroupOutlinedIcon fontSize="small" />
                </ListItemIcon>
                <ListItemText>{strings.shell.users}</ListItemText>
              </MenuItem>,
              <MenuItem key="audit" onClick={() => go('/admin/audit')}>
                <ListItemIcon>
                  <ManageSearchIcon fontSize="small" />
                </ListItemIcon>
                <ListItemText>{strings.shell.audit}</ListItemText>
              </MenuItem>,
            ]}
            <Divider />
            <MenuItem
              onClick={() => {
                setMenuAnchor(null);
                void logout().finally(() => navigate('/login', { replace: true }));
              }}
            >
              <ListItemIcon>
                <LogoutIcon fontSize="small" />
              </ListItemIcon>
              <ListItemText>{strings.shell.logout}</ListItemText>
            </MenuItem>
          </Menu>
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
