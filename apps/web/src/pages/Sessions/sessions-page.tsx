import type { Session } from '@ccr/protocol/api';
import AddIcon from '@mui/icons-material/Add';
import CallSplitIcon from '@mui/icons-material/CallSplit';
import TerminalIcon from '@mui/icons-material/Terminal';
import {
  Alert,
  Box,
  Button,
  Container,
  Paper,
  Skeleton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSessions } from '../../api/sessions.queries';
import { SessionActions } from '../../components/SessionActions/session-actions';
import { StatusChip } from '../../components/StatusChip/status-chip';
import { absoluteTime, relativeTime } from '../../format-time';
import { strings } from '../../strings';
import { CreateSessionDialog } from './create-session-dialog';

const wideOnly = { display: { xs: 'none', md: 'table-cell' } } as const;

export function displayRepo(repoUrl: string | null): string {
  if (!repoUrl) {
    return strings.sessions.emptyRepo;
  }
  return repoUrl.replace(/^[a-z]+:\/\//, '').replace(/\.git$/, '');
}

export function SessionsPage() {
  const sessions = useSessions();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  const sorted = [...(sessions.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <Container maxWidth="lg" sx={{ py: { xs: 3, md: 5 } }}>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        alignItems={{ xs: 'stretch', sm: 'flex-end' }}
        justifyContent="space-between"
        sx={{ mb: 3 }}
      >
        <Box>
          <Typography variant="h4" component="h1">
            {strings.sessions.title}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.75 }}>
            {strings.sessions.subtitle}
          </Typography>
        </Box>
        {sorted.length > 0 && (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)}>
            {strings.sessions.create}
          </Button>
        )}
      </Stack>

      {sessions.isError && (
        <Alert
          severity="error"
          variant="outlined"
          action={
            <Button color="inherit" size="small" onClick={() => void sessions.refetch()}>
              {strings.retry}
            </Button>
          }
          sx={{ mb: 2 }}
        >
          {strings.sessions.loadFailed} {sessions.error.message}
        </Alert>
      )}

      {sessions.isPending ? (
        <Paper variant="outlined" sx={{ p: 2 }}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={44} />
          ))}
        </Paper>
      ) : sorted.length === 0 && !sessions.isError ? (
        <EmptyState onCreate={() => setCreating(true)} />
      ) : (
        sorted.length > 0 && (
          <TableContainer component={Paper} variant="outlined">
            <Table size="medium" aria-label={strings.sessions.title}>
              <TableHead>
                <TableRow>
                  <TableCell>{strings.sessions.columnName}</TableCell>
                  <TableCell sx={wideOnly}>{strings.sessions.columnRepo}</TableCell>
                  <TableCell sx={wideOnly}>{strings.sessions.columnBranch}</TableCell>
                  <TableCell>{strings.sessions.columnStatus}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {strings.sessions.columnActivity}
                  </TableCell>
                  <TableCell align="right">{strings.sessions.columnActions}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {sorted.map((session) => (
                  <SessionRow
                    key={session.id}
                    session={session}
                    onOpen={() => void navigate(`/sessions/${session.id}`)}
                  />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )
      )}

      <CreateSessionDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(session) => {
          setCreating(false);
          void navigate(`/sessions/${session.id}`);
        }}
      />
    </Container>
  );
}

function SessionRow({ session, onOpen }: { session: Session; onOpen: () => void }) {
  return (
    <TableRow
      hover
      data-session-id={session.id}
      data-session-name={session.name}
      onClick={onOpen}
      sx={{ cursor: 'pointer', '&:last-child td': { borderBottom: 0 } }}
    >
      <TableCell>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {session.name}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {strings.sessions.columnCreated} {relativeTime(session.createdAt)}
        </Typography>
      </TableCell>
      <TableCell sx={{ ...wideOnly, maxWidth: 280 }}>
        <Typography
          variant="body2"
          noWrap
          color={session.repoUrl ? 'text.primary' : 'text.secondary'}
          title={session.repoUrl ?? undefined}
        >
          {displayRepo(session.repoUrl)}
        </Typography>
      </TableCell>
      <TableCell sx={wideOnly}>
        <Stack direction="row" spacing={0.75} alignItems="center">
          <CallSplitIcon sx={{ fontSize: 16, color: 'text.secondary' }} />
          <Typography variant="body2" sx={{ fontFamily: 'monospace', fontSize: 13 }}>
            {session.branch}
          </Typography>
        </Stack>
      </TableCell>
      <TableCell>
        <Tooltip title={session.error ?? ''} disableHoverListener={!session.error}>
          <span>
            <StatusChip status={session.status} />
          </span>
        </Tooltip>
      </TableCell>
      <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
        <Tooltip title={absoluteTime(session.lastActivityAt)}>
          <Typography variant="body2" color="text.secondary">
            {relativeTime(session.lastActivityAt)}
          </Typography>
        </Tooltip>
      </TableCell>
      <TableCell align="right">
        <SessionActions session={session} variant="icons" />
      </TableCell>
    </TableRow>
  );
}

function EmptyState({ onCreate }: { onCreate: () => void }) {
  return (
    <Paper
      variant="outlined"
      data-testid="sessions-empty"
      sx={{
        py: { xs: 6, md: 9 },
        px: 3,
        textAlign: 'center',
        borderStyle: 'dashed',
        background: 'radial-gradient(600px 240px at 50% 0%, rgba(224, 135, 95, 0.08), transparent)',
      }}
    >
      <Box
        sx={{
          width: 56,
          height: 56,
          mx: 'auto',
          mb: 2,
          borderRadius: 2,
          display: 'grid',
          placeItems: 'center',
          bgcolor: 'rgba(224, 135, 95, 0.12)',
          color: 'primary.main',
        }}
      >
        <TerminalIcon />
      </Box>
      <Typography variant="h6">{strings.sessions.emptyTitle}</Typography>
      <Typography
        variant="body2"
        color="text.secondary"
        sx={{ maxWidth: 460, mx: 'auto', mt: 1, mb: 3 }}
      >
        {strings.sessions.emptyBody}
      </Typography>
      <Button variant="contained" size="large" startIcon={<AddIcon />} onClick={onCreate}>
        {strings.sessions.emptyAction}
      </Button>
    </Paper>
  );
}
