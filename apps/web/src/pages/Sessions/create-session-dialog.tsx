import type { Session } from '@ccr/protocol/api';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  InputAdornment,
  Stack,
  TextField,
  Typography,
  useMediaQuery,
} from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateSession } from '../../api/sessions.queries';
import { strings } from '../../strings';
import {
  buildCreateBody,
  emptyForm,
  isFieldKey,
  type FieldErrors,
  type FieldKey,
  type FormValues,
} from './create-session-form';

interface CreateSessionDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (session: Session) => void;
}

export function CreateSessionDialog({ open, onClose, onCreated }: CreateSessionDialogProps) {
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down('sm'));
  const create = useCreateSession();
  const [values, setValues] = useState<FormValues>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const reset = () => {
    setValues(emptyForm);
    setErrors({});
    setFormError(null);
    create.reset();
  };

  const close = () => {
    if (!create.isPending) {
      onClose();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const built = buildCreateBody(values);
    if (!built.body) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    create.mutate(built.body, {
      onSuccess: (session) => onCreated(session),
      onError: (error) => {
        const fieldErrors: FieldErrors = {};
        const other: string[] = [];
        for (const [key, message] of Object.entries(error.fields)) {
          if (isFieldKey(key)) {
            fieldErrors[key] = message;
          } else {
            other.push(`${key}: ${message}`);
          }
        }
        setErrors(fieldErrors);
        if (other.length > 0 || Object.keys(fieldErrors).length === 0) {
          setFormError(
            other.length > 0
              ? other.join('; ')
              : error.isNetwork
                ? strings.networkError
                : error.message || strings.unexpectedError,
          );
        }
      },
    });
  };

  const field = (key: FieldKey) => ({
    value: values[key],
    error: errors[key] !== undefined,
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [key]: e.target.value }));
      if (errors[key] !== undefined) {
        setErrors((current) => {
          const next = { ...current };
          delete next[key];
          return next;
        });
      }
    },
    slotProps: { htmlInput: { 'data-field': key } },
  });

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      fullScreen={fullScreen}
      slotProps={{ transition: { onExited: reset } }}
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle>{strings.create.title}</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            {formError && (
              <Alert severity="error" variant="outlined" data-testid="create-error">
                {formError}
              </Alert>
            )}
            <TextField
              label={strings.create.name}
              placeholder="my-feature"
              autoFocus
              fullWidth
              {...field('name')}
              helperText={errors.name ?? strings.create.nameHelp}
            />
            <TextField
              label={strings.create.repoUrl}
              placeholder="https://git.example.com/team/project.git"
              fullWidth
              {...field('repoUrl')}
              helperText={errors.repoUrl ?? strings.create.repoUrlHelp}
            />
            <TextField
              label={strings.create.branch}
              placeholder="main"
              fullWidth
              {...field('branch')}
              helperText={errors.branch ?? strings.create.branchHelp}
            />
            <Typography variant="overline" color="text.secondary" sx={{ pt: 0.5, lineHeight: 1 }}>
              {strings.create.resources}
            </Typography>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                label={strings.create.memoryMb}
                placeholder={strings.create.serverDefault}
                inputMode="numeric"
                fullWidth
                {...field('resources.memoryMb')}
                helperText={errors['resources.memoryMb'] ?? ' '}
                slotProps={{
                  htmlInput: { 'data-field': 'resources.memoryMb', inputMode: 'numeric' },
                  input: { endAdornment: <InputAdornment position="end">MB</InputAdornment> },
                }}
              />
              <TextField
                label={strings.create.cpus}
                placeholder={strings.create.serverDefault}
                inputMode="decimal"
                fullWidth
                {...field('resources.cpus')}
                helperText={errors['resources.cpus'] ?? ' '}
                slotProps={{
                  htmlInput: { 'data-field': 'resources.cpus', inputMode: 'decimal' },
                }}
              />
            </Stack>
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button onClick={close} color="inherit" disabled={create.isPending}>
            {strings.cancel}
          </Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            {create.isPending ? strings.create.submitting : strings.create.submit}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
