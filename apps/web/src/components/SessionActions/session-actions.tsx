import type { Session } from '@ccr/protocol/api';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutline';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import StopIcon from '@mui/icons-material/Stop';
import { Alert, Box, Button, IconButton, Snackbar, Stack, Tooltip } from '@mui/material';
import { useState } from 'react';
import { useDeleteSession, useStartSession, useStopSession } from '../../api/sessions.queries';
import { strings } from '../../strings';
import { ConfirmDialog } from '../ConfirmDialog/confirm-dialog';

interface SessionActionsProps {
  session: Session;
  /** Icons for table rows, labelled buttons for the session header. */
  variant: 'icons' | 'buttons';
  onDeleted?: () => void;
}

export function SessionActions({ session, variant, onDeleted }: SessionActionsProps) {
  const stop = useStopSession();
  const start = useStartSession();
  const remove = useDeleteSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const busy = stop.isPending || start.isPending || remove.isPending;
  const canStop = session.status === 'running' || session.status === 'starting';
  const canStart = session.status === 'stopped' || session.status === 'failed';
  const onError = (e: Error) => setError(e.message || strings.unexpectedError);

  const actions = [
    canStop && {
      key: 'stop',
      label: strings.sessions.stop,
      icon: <StopIcon fontSize="small" />,
      color: 'inherit' as const,
      run: () => stop.mutate(session.id, { onError }),
    },
    canStart && {
      key: 'start',
      label: strings.sessions.start,
      icon: <PlayArrowIcon fontSize="small" />,
      color: 'success' as const,
      run: () => start.mutate(session.id, { onError }),
    },
    {
      key: 'delete',
      label: strings.sessions.delete,
      icon: <DeleteOutlineIcon fontSize="small" />,
      color: 'error' as const,
      run: () => setConfirming(true),
    },
  ].filter((a) => a !== false);

  return (
    // Clicks in the dialogs bubble through React's tree (portals included) to whatever holds
    // these actions, such as a table row that opens the session: they stop here.
    <Box component="span" sx={{ display: 'contents' }} onClick={(e) => e.stopPropagation()}>
      <Stack direction="row" spacing={variant === 'icons' ? 0.25 : 1} justifyContent="flex-end">
        {actions.map((action) =>
          variant === 'icons' ? (
            <Tooltip key={action.key} title={action.label}>
              <span>
                <IconButton
                  size="small"
                  aria-label={`${action.label} ${session.name}`}
                  color={action.color === 'inherit' ? 'default' : action.color}
                  disabled={busy}
                  onClick={action.run}
                >
                  {action.icon}
                </IconButton>
              </span>
            </Tooltip>
          ) : (
            <Button
              key={action.key}
              size="small"
              variant="outlined"
              color={action.color}
              startIcon={action.icon}
              disabled={busy}
              onClick={action.run}
            >
              {action.label}
            </Button>
          ),
        )}
      </Stack>
      <ConfirmDialog
        open={confirming}
        title={strings.sessions.deleteTitle(session.name)}
        body={strings.sessions.deleteBody}
        confirmLabel={strings.sessions.deleteConfirm}
        busy={remove.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(session.id, {
            onSuccess: () => {
              setConfirming(false);
              onDeleted?.();
            },
            onError: (e) => {
              setConfirming(false);
              onError(e);
            },
          })
        }
      />
      <Snackbar
        open={error !== null}
        autoHideDuration={6000}
        onClose={() => setError(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="error" variant="filled" onClose={() => setError(null)}>
          {error}
        </Alert>
      </Snackbar>
    </Box>
  );
}
