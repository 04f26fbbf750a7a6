import { ChangePasswordBodySchema, type PersonalAccessToken } from '@ccr/protocol/accounts';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import KeyIcon from '@mui/icons-material/Key';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  CircularProgress,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import {
  useChangePassword,
  useCreateToken,
  useDeleteToken,
  useTokens,
} from '../../api/accounts.queries';
import { useAuth } from '../../api/auth-context';
import { ConfirmDialog } from '../../components/ConfirmDialog/confirm-dialog';
import { absoluteTime, relativeTime } from '../../format-time';
import { strings } from '../../strings';
import { PageHeader } from '../../components/PageHeader/page-header';
import { fieldErrorsOf } from '../../field-errors';

export function ProfilePage() {
  const { state } = useAuth();
  const email = state.status === 'signedIn' ? state.user.email : '';
  return (
    <Stack
      spacing={3}
      sx={{ px: { xs: 2, md: 4 }, py: 3, maxWidth: 960, width: '100%', mx: 'auto' }}
    >
      <PageHeader title={strings.profile.title} subtitle={strings.profile.subtitle(email)} />
      <PasswordCard />
      <TokensCard />
    </Stack>
  );
}

function Card({ title, body, children }: { title: string; body: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
      <Typography variant="h6" component="h2">
        {title}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2.5 }}>
        {body}
      </Typography>
      {children}
    </Paper>
  );
}

type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';

function PasswordCard() {
  const change = useChangePassword();
  const [values, setValues] = useState<Record<PasswordField, string>>({
    currentPassword: '',
    newPassword: '',
    confirmPassword: '',
  });
  const [errors, setErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    change.reset();
    const next: Partial<Record<PasswordField, string>> = {};
    const parsed = ChangePasswordBodySchema.safeParse({
      currentPassword: values.currentPassword,
      newPassword: values.newPassword,
    });
    if (!parsed.success) {
      Object.assign(next, fieldErrorsOf(parsed.error));
    }
    if (values.currentPassword === '') {
      next.currentPassword = strings.profile.required;
    }
    if (values.confirmPassword !== values.newPassword) {
      next.confirmPassword = strings.profile.passwordsDiffer;
    }
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) {
      return;
    }
    change.mutate(parsed.data, {
      onSuccess: () => setValues({ currentPassword: '', newPassword: '', confirmPassword: '' }),
      onError: (error) => {
        setErrors(error.fields);
        if (Object.keys(error.fields).length === 0) {
          setFormError(error.isNetwork ? strings.networkError : error.message);
        }
      },
    });
  };

  const input = (key: PasswordField, label: string, autoComplete: string) => (
    <TextField
      label={label}
      type="password"
      autoComplete={autoComplete}
      value={values[key]}
      onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
      error={errors[key] !== undefined}
      helperText={errors[key] ?? ' '}
      size="small"
      fullWidth
      slotProps={{ htmlInput: { 'data-field': key, name: key } }}
    />
  );

  return (
    <Card title={strings.profile.passwordTitle} body={strings.profile.passwordBody}>
      <Stack component="form" onSubmit={submit} noValidate spacing={1} sx={{ maxWidth: 420 }}>
        {input('currentPassword', strings.profile.currentPassword, 'current-password')}
        {input('newPassword', strings.profile.newPassword, 'new-password')}
        {input('confirmPassword', strings.profile.confirmPassword, 'new-password')}
        {formError && (
          <Alert severity="error" variant="outlined">
            {formError}
          </Alert>
        )}
        {change.isSuccess && (
          <Alert severity="success" variant="outlined" data-testid="password-changed">
            {strings.profile.passwordChanged}
          </Alert>
        )}
        <Box>
          <Button type="submit" variant="contained" disabled={change.isPending}>
            {change.isPending ? strings.profile.changingPassword : strings.profile.changePassword}
          </Button>
        </Box>
      </Stack>
    </Card>
  );
}

const expiryChoices = [0, 7, 30, 90, 365] as const;

function TokensCard() {
  const tokens = useTokens();
  const create = useCreateToken();
  const remove = useDeleteToken();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<number>(30);
  const [nameError, setNameError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<PersonalAccessToken | null>(null);
  const [copied, setCopied] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCopied(false);
    const body = { name, ...(expiry > 0 ? { expiresInDays: expiry } : {}) };
    const trimmed = name.trim();
    if (trimmed === '') {
      setNameError(strings.profile.required);
      return;
    }
    setNameError(null);
    create.mutate(body, {
      onSuccess: () => setName(''),
      onError: (error) => setNameError(error.fields.name ?? null),
    });
  };

  const created = create.data;
  const copy = (token: string) => {
    void navigator.clipboard
      .writeText(token)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };

  return (
    <Card title={strings.profile.tokensTitle} body={strings.profile.tokensBody}>
      <Stack
        component="form"
        onSubmit={submit}
        noValidate
        direction={{ xs: 'column', sm: 'row' }}
        spacing={1.5}
        alignItems={{ xs: 'stretch', sm: 'flex-start' }}
      >
        <TextField
          label={strings.profile.tokenName}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameError !== null}
          helperText={nameError ?? ' '}
          size="small"
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { maxLength: 100, 'data-field': 'tokenName' } }}
        />
        <TextField
          select
          label={strings.profile.tokenExpiry}
          value={expiry}
          onChange={(e) => setExpiry(Number(e.target.value))}
          size="small"
          sx={{ minWidth: 140 }}
          slotProps={{ htmlInput: { 'data-field': 'tokenExpiry' } }}
        >
          {expiryChoices.map((days) => (
            <MenuItem key={days} value={days}>
              {days === 0 ? strings.profile.never : strings.profile.days(days)}
            </MenuItem>
          ))}
        </TextField>
        <Button
          type="submit"
          variant="contained"
          disabled={create.isPending}
          startIcon={<KeyIcon />}
          sx={{ height: 40, flexShrink: 0 }}
        >
          {create.isPending ? strings.profile.creatingToken : strings.profile.createToken}
        </Button>
      </Stack>
      {create.isError && Object.keys(create.error.fields).length === 0 && (
        <Alert severity="error" variant="outlined" sx={{ mt: 1 }}>
          {create.error.message}
        </Alert>
      )}
      {created && (
        <Alert
          severity="success"
          variant="outlined"
          sx={{ mt: 1, '& .MuiAlert-message': { minWidth: 0, flex: 1 } }}
          data-testid="created-token"
          action={
            <Button color="inherit" size="small" onClick={() => create.reset()}>
              {strings.profile.dismiss}
            </Button>
          }
        >
          <AlertTitle>{strings.profile.tokenCreated(created.name)}</AlertTitle>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {strings.profile.tokenShownOnce}
          </Typography>
          <Stack
            direction={{ xs: 'column', sm: 'row' }}
            spacing={1}
            alignItems={{ xs: 'stretch', sm: 'center' }}
          >
            <Box
              component="code"
              data-testid="created-token-value"
              sx={{
                flex: 1,
                minWidth: 0,
                px: 1.25,
                py: 0.75,
                borderRadius: 1,
                bgcolor: 'background.default',
                fontFamily: 'monospace',
                fontSize: 13,
                overflowX: 'auto',
                whiteSpace: 'nowrap',
              }}
            >
              {created.token}
            </Box>
            <Tooltip title={copied ? strings.profile.copied : strings.profile.copy}>
              <Button
                size="small"
                variant="outlined"
                color="inherit"
                startIcon={<ContentCopyIcon />}
                onClick={() => copy(created.token)}
              >
                {copied ? strings.profile.copied : strings.profile.copy}
              </Button>
            </Tooltip>
          </Stack>
        </Alert>
      )}
      <Box sx={{ mt: 2.5 }}>
        {tokens.isPending ? (
          <Box sx={{ display: 'grid', placeItems: 'center', py: 3 }}>
            <CircularProgress size={24} aria-label={strings.loading} />
          </Box>
        ) : tokens.isError ? (
          <Alert severity="error" variant="outlined">
            {strings.profile.loadFailed}
          </Alert>
        ) : tokens.data.length === 0 ? (
          <Typography variant="body2" color="text.secondary" data-testid="tokens-empty">
            {strings.profile.noTokens}
          </Typography>
        ) : (
          <TableContainer>
            <Table size="small" data-testid="tokens-table">
              <TableHead>
                <TableRow>
                  <TableCell>{strings.profile.columnName}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {strings.profile.columnCreated}
                  </TableCell>
                  <TableCell>{strings.profile.columnExpires}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {strings.profile.columnLastUsed}
                  </TableCell>
                  <TableCell align="right" />
                </TableRow>
              </TableHead>
              <TableBody>
                {tokens.data.map((token) => (
                  <TableRow key={token.id} data-token-id={token.id}>
                    <TableCell sx={{ fontWeight: 600 }}>{token.name}</TableCell>
                    <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                      <Time iso={token.createdAt} />
                    </TableCell>
                    <TableCell>
                      {token.expiresAt === null ? (
                        strings.profile.noExpiry
                      ) : new Date(token.expiresAt).getTime() < Date.now() ? (
                        <Typography variant="body2" color="error.main" component="span">
                          {strings.profile.expired}
                        </Typography>
                      ) : (
                        <Time iso={token.expiresAt} />
                      )}
                    </TableCell>
                    <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                      {token.lastUsedAt === null ? (
                        strings.profile.neverUsed
                      ) : (
                        <Time iso={token.lastUsedAt} />
                      )}
                    </TableCell>
                    <TableCell align="right">
                      <Button
                        size="small"
                        color="error"
                        aria-label={`${strings.profile.revoke} ${token.name}`}
                        onClick={() => setRevoking(token)}
                      >
                        {strings.profile.revoke}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Box>
      <ConfirmDialog
        open={revoking !== null}
        title={strings.profile.revokeTitle(revoking?.name ?? '')}
        body={strings.profile.revokeBody}
        confirmLabel={strings.profile.revokeConfirm}
        busy={remove.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) {
            remove.mutate(revoking.id, { onSettled: () => setRevoking(null) });
          }
        }}
      />
    </Card>
  );
}

export function Time({ iso }: { iso: string }) {
  return (
    <Tooltip title={absoluteTime(iso)}>
      <span>{relativeTime(iso)}</span>
    </Tooltip>
  );
}
