import { CreateUserBodySchema, PasswordSchema, type ManagedUser } from '@ccr/protocol/accounts';
import type { Role } from '@ccr/protocol/api';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  Paper,
  Snackbar,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
  useMediaQuery,
} from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers } from '../../api/accounts.queries';
import type { ApiError } from '../../api/api-error';
import { useAuth } from '../../api/auth-context';
import { ConfirmDialog } from '../../components/ConfirmDialog/confirm-dialog';
import { PageHeader } from '../../components/PageHeader/page-header';
import { fieldErrorsOf } from '../../field-errors';
import { strings } from '../../strings';
import { Time } from '../Profile/profile-page';

const roles: Role[] = ['user', 'admin'];

type Notice = { severity: 'success' | 'error'; text: string };

function problem(error: ApiError): string {
  return error.isNetwork ? strings.networkError : error.message;
}

export function UsersPage() {
  const { state } = useAuth();
  const myId = state.status === 'signedIn' ? state.user.id : '';
  const users = useUsers();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<ManagedUser | null>(null);
  const [deleting, setDeleting] = useState<ManagedUser | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const patch = (user: ManagedUser, body: Parameters<typeof update.mutate>[0]['body']) =>
    update.mutate(
      { id: user.id, body },
      { onError: (error) => setNotice({ severity: 'error', text: problem(error) }) },
    );

  return (
    <Stack
      spacing={3}
      sx={{ px: { xs: 2, md: 4 }, py: 3, maxWidth: 1200, width: '100%', mx: 'auto' }}
    >
      <PageHeader
        title={strings.users.title}
        subtitle={strings.users.subtitle}
        action={
          <Button
            variant="contained"
            startIcon={<PersonAddIcon />}
            onClick={() => setCreating(true)}
          >
            {strings.users.create}
          </Button>
        }
      />
      {users.isPending ? (
        <Box sx={{ display: 'grid', placeItems: 'center', py: 6 }}>
          <CircularProgress aria-label={strings.loading} />
        </Box>
      ) : users.isError ? (
        <Alert severity="error" variant="outlined">
          {strings.users.loadFailed} {users.error.message}
        </Alert>
      ) : (
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" data-testid="users-table">
            <TableHead>
              <TableRow>
                <TableCell>{strings.users.columnEmail}</TableCell>
                <TableCell>{strings.users.columnRole}</TableCell>
                <TableCell>{strings.users.columnStatus}</TableCell>
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                  {strings.users.columnCreated}
                </TableCell>
                <TableCell align="right">{strings.users.columnActions}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {users.data.map((user) => (
                <TableRow key={user.id} data-user-email={user.email} hover>
                  <TableCell sx={{ fontWeight: 600, wordBreak: 'break-all' }}>
                    {user.email}
                    {user.id === myId && (
                      <Typography component="span" variant="body2" color="text.secondary">
                        {` (${strings.users.you})`}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <TextField
                      select
                      size="small"
                      variant="standard"
                      value={user.role}
                      sx={{ '& .MuiSelect-select': { typography: 'body2', py: 0.5 } }}
                      onChange={(e) => patch(user, { role: e.target.value as Role })}
                      slotProps={{
                        htmlInput: {
                          'aria-label': `${strings.users.role} ${user.email}`,
                          'data-field': 'role',
                        },
                        input: { disableUnderline: true },
                      }}
                    >
                      {roles.map((role) => (
                        <MenuItem key={role} value={role}>
                          {strings.users.roles[role]}
                        </MenuItem>
                      ))}
                    </TextField>
                  </TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      variant="outlined"
                      color={user.disabled ? 'default' : 'success'}
                      label={user.disabled ? strings.users.disabled : strings.users.active}
                      data-testid="user-status"
                    />
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    <Time iso={user.createdAt} />
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    <Button
                      size="small"
                      color="inherit"
                      onClick={() => patch(user, { disabled: !user.disabled })}
                    >
                      {user.disabled ? strings.users.enable : strings.users.disable}
                    </Button>
                    <Button size="small" color="inherit" onClick={() => setResetting(user)}>
                      {strings.users.resetPassword}
                    </Button>
                    <Button
                      size="small"
                      color="error"
                      aria-label={`${strings.users.delete} ${user.email}`}
                      onClick={() => setDeleting(user)}
                    >
                      {strings.users.delete}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(user) =>
          setNotice({ severity: 'success', text: strings.users.passwordReset(user.email) })
        }
      />
      <ConfirmDialog
        open={deleting !== null}
        title={strings.users.deleteTitle(deleting?.email ?? '')}
        body={strings.users.deleteBody}
        confirmLabel={strings.users.deleteConfirm}
        busy={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) {
            remove.mutate(deleting.id, {
              onError: (error) => setNotice({ severity: 'error', text: problem(error) }),
              onSettled: () => setDeleting(null),
            });
          }
        }}
      />
      <Snackbar
        open={notice !== null}
        autoHideDuration={8000}
        onClose={() => setNotice(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert
          severity={notice?.severity ?? 'info'}
          variant="filled"
          onClose={() => setNotice(null)}
          data-testid="users-notice"
        >
          {notice?.text}
        </Alert>
      </Snackbar>
    </Stack>
  );
}

type CreateField = 'email' | 'password' | 'role';

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down('sm'));
  const create = useCreateUser();
  const [values, setValues] = useState({ email: '', password: '', role: 'user' as Role });
  const [errors, setErrors] = useState<Partial<Record<CreateField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const reset = () => {
    setValues({ email: '', password: '', role: 'user' });
    setErrors({});
    setFormError(null);
    create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const parsed = CreateUserBodySchema.safeParse(values);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: onClose,
      onError: (error) => {
        setErrors(error.fields);
        if (Object.keys(error.fields).length === 0) {
          setFormError(problem(error));
        }
      },
    });
  };

  return (
    <Dialog
      open={open}
      onClose={create.isPending ? undefined : onClose}
      fullScreen={fullScreen}
      maxWidth="xs"
      fullWidth
      slotProps={{ transition: { onExited: reset } }}
    >
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle>{strings.users.createTitle}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <TextField
              label={strings.users.email}
              type="email"
              autoFocus
              value={values.email}
              onChange={(e) => setValues((v) => ({ ...v, email: e.target.value }))}
              error={errors.email !== undefined}
              helperText={errors.email ?? ' '}
              size="small"
              slotProps={{ htmlInput: { 'data-field': 'email', autoComplete: 'off' } }}
            />
            <TextField
              label={strings.users.password}
              type="password"
              value={values.password}
              onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
              error={errors.password !== undefined}
              helperText={errors.password ?? strings.users.passwordHelp}
              size="small"
              slotProps={{ htmlInput: { 'data-field': 'password', autoComplete: 'new-password' } }}
            />
            <TextField
              select
              label={strings.users.role}
              value={values.role}
              onChange={(e) => setValues((v) => ({ ...v, role: e.target.value as Role }))}
              error={errors.role !== undefined}
              helperText={errors.role ?? ' '}
              size="small"
              slotProps={{ htmlInput: { 'data-field': 'role' } }}
            >
              {roles.map((role) => (
                <MenuItem key={role} value={role}>
                  {strings.users.roles[role]}
                </MenuItem>
              ))}
            </TextField>
            {formError && (
              <Alert severity="error" variant="outlined">
                {formError}
              </Alert>
            )}
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button onClick={onClose} color="inherit" disabled={create.isPending}>
            {strings.cancel}
          </Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            {create.isPending ? strings.users.submitting : strings.users.submit}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

function ResetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: ManagedUser | null;
  onClose: () => void;
  onDone: (user: ManagedUser) => void;
}) {
  const update = useUpdateUser();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!user) {
      return;
    }
    const parsed = PasswordSchema.safeParse(password);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? strings.unexpectedError);
      return;
    }
    setError(null);
    update.mutate(
      { id: user.id, body: { password: parsed.data } },
      {
        onSuccess: (updated) => {
          onDone(updated);
          onClose();
        },
        onError: (e) => setError(e.fields.password ?? problem(e)),
      },
    );
  };

  return (
    <Dialog
      open={user !== null}
      onClose={update.isPending ? undefined : onClose}
      maxWidth="xs"
      fullWidth
      slotProps={{
        transition: {
          onExited: () => {
            setPassword('');
            setError(null);
            update.reset();
          },
        },
      }}
    >
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle>{strings.users.resetTitle(user?.email ?? '')}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{strings.users.resetBody}</DialogContentText>
          <TextField
            label={strings.users.newPassword}
            type="password"
            autoFocus
            fullWidth
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error !== null}
            helperText={error ?? strings.users.passwordHelp}
            size="small"
            slotProps={{
              htmlInput: { 'data-field': 'resetPassword', autoComplete: 'new-password' },
            }}
          />
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button onClick={onClose} color="inherit" disabled={update.isPending}>
            {strings.cancel}
          </Button>
          <Button type="submit" variant="contained" disabled={update.isPending}>
            {strings.users.resetSubmit}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
