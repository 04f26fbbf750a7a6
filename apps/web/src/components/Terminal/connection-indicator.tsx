import { Box, Stack, Tooltip, Typography } from '@mui/material';
import { keyframes } from '@mui/material/styles';
import { strings } from '../../strings';
import type { ConnectionState, ConnectionStatus } from './terminal-connection';

const pulse = keyframes`
  0% { opacity: 1; }
  50% { opacity: 0.35; }
  100% { opacity: 1; }
`;

const colours: Record<ConnectionStatus, string> = {
  connecting: 'info.main',
  open: 'success.main',
  reconnecting: 'warning.main',
  closed: 'text.disabled',
  exited: 'text.disabled',
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const label = strings.terminal[state.status];
  const busy = state.status === 'connecting' || state.status === 'reconnecting';
  return (
    <Tooltip title={state.reason ?? ''} disableHoverListener={!state.reason}>
      <Stack
        direction="row"
        spacing={0.75}
        alignItems="center"
        role="status"
        aria-live="polite"
        data-testid="connection-status"
        data-status={state.status}
      >
        <Box
          sx={{
            width: 8,
            height: 8,
            borderRadius: '50%',
            bgcolor: colours[state.status],
            boxShadow: state.status === 'open' ? '0 0 6px rgba(63, 185, 80, 0.8)' : 'none',
            animation: busy ? `${pulse} 1.2s ease-in-out infinite` : 'none',
          }}
        />
        <Typography variant="caption" color="text.secondary">
          {label}
        </Typography>
      </Stack>
    </Tooltip>
  );
}
