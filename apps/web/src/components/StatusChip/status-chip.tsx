import type { SessionStatus } from '@ccr/protocol/api';
import { Chip, CircularProgress } from '@mui/material';
import type { ChipProps } from '@mui/material';
import { strings } from '../../strings';

const colours: Record<SessionStatus, ChipProps['color']> = {
  pending: 'default',
  starting: 'info',
  running: 'success',
  stopped: 'default',
  failed: 'error',
};

export function StatusChip({
  status,
  size = 'small',
}: {
  status: SessionStatus;
  size?: ChipProps['size'];
}) {
  const busy = status === 'pending' || status === 'starting';
  return (
    <Chip
      size={size}
      variant="outlined"
      color={colours[status]}
      label={strings.status[status]}
      data-testid="session-status"
      data-status={status}
      icon={
        busy ? (
          <CircularProgress size={10} thickness={6} color="inherit" sx={{ ml: '6px !important' }} />
        ) : undefined
      }
      sx={{
        fontWeight: 600,
        minWidth: 84,
        ...(status === 'running' && { bgcolor: 'rgba(63, 185, 80, 0.12)' }),
        ...(status === 'failed' && { bgcolor: 'rgba(248, 81, 73, 0.12)' }),
      }}
    />
  );
}
