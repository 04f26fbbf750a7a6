import type { Session } from '@ccr/protocol/api';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import AutoAwesomeIcon from '@mui/icons-material/AutoAwesome';
import CallSplitIcon from '@mui/icons-material/CallSplit';
import HistoryIcon from '@mui/icons-material/History';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import TerminalIcon from '@mui/icons-material/Terminal';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  Link,
  Paper,
  Stack,
  Tab,
  Tabs,
  Tooltip,
  Typography,
  useMediaQuery,
} from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import { useBlockedCommits, useCommits } from '../../api/commits.queries';
import { useSession } from '../../api/sessions.queries';
import { CommitsPanel } from '../../components/CommitsPanel/commits-panel';
import { SessionActions } from '../../components/SessionActions/session-actions';
import { StatusChip } from '../../components/StatusChip/status-chip';
import { TerminalView } from '../../components/Terminal/terminal-view';
import { strings } from '../../strings';
import { displayRepo } from '../Sessions/sessions-page';

export function SessionPage() {
  const { id = '' } = useParams();
  const session = useSession(id);
  const navigate = useNavigate();

  return (
    <Box
      sx={{
        flex: 1,
        display: 'flex',
        flexDirection: 'column',
        minHeight: 0,
        px: { xs: 1.5, md: 3 },
        py: 2,
        gap: 2,
      }}
    >
      <Link
        component={RouterLink}
        to="/"
        underline="hover"
        color="text.secondary"
        variant="body2"
        sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, alignSelf: 'flex-start' }}
      >
        <ArrowBackIcon sx={{ fontSize: 16 }} />
        {strings.back}
      </Link>
      {session.isPending ? (
        <Box sx={{ display: 'grid', placeItems: 'center', flex: 1 }}>
          <CircularProgress aria-label={strings.loading} />
        </Box>
      ) : session.isError ? (
        <Alert severity={session.error.status === 404 ? 'warning' : 'error'} variant="outlined">
          {session.error.status === 404 ? strings.session.notFound : session.error.message}
        </Alert>
      ) : (
        <>
          <SessionHeader
            session={session.data}
            onDeleted={() => void navigate('/', { replace: true })}
          />
          {session.data.status === 'running' ? (
            <Terminals session={session.data} />
          ) : (
            <NotRunning session={session.data} />
          )}
        </>
      )}
    </Box>
  );
}

function SessionHeader({ session, onDeleted }: { session: Session; onDeleted: () => void }) {
  const [activityOpen, setActivityOpen] = useState(false);
  return (
    <Stack
      direction={{ xs: 'column', md: 'row' }}
      spacing={1.5}
      alignItems={{ xs: 'flex-start', md: 'center' }}
      justifyContent="space-between"
    >
      <Stack spacing={0.75} sx={{ minWidth: 0 }}>
        <Stack direction="row" spacing={1.5} alignItems="center">
          <Typography variant="h5" component="h1" data-testid="session-name" noWrap>
            {session.name}
          </Typography>
          <StatusChip status={session.status} />
        </Stack>
        <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
          <Typography
            variant="body2"
            color="text.secondary"
            noWrap
            title={session.repoUrl ?? undefined}
          >
            {displayRepo(session.repoUrl)}
          </Typography>
          <Tooltip title={strings.session.branch}>
            <Chip
              size="small"
              variant="outlined"
              icon={<CallSplitIcon />}
              label={session.branch}
              sx={{ fontFamily: 'monospace' }}
            />
          </Tooltip>
          <Typography variant="body2" color="text.secondary">
            →
          </Typography>
          <Tooltip title={strings.session.workBranch}>
            <Chip
              size="small"
              variant="outlined"
              color="primary"
              icon={<CallSplitIcon />}
              label={session.workBranch}
              sx={{ fontFamily: 'monospace' }}
            />
          </Tooltip>
        </Stack>
      </Stack>
      <Stack direction="row" spacing={1} alignItems="center">
        <ActivityButton sessionId={session.id} onClick={() => setActivityOpen(true)} />
        <SessionActions session={session} variant="buttons" onDeleted={onDeleted} />
      </Stack>
      <CommitsPanel session={session} open={activityOpen} onClose={() => setActivityOpen(false)} />
    </Stack>
  );
}

/** Counts the commits, and turns to a warning while a secret was held back. */
function ActivityButton({ sessionId, onClick }: { sessionId: string; onClick: () => void }) {
  const commits = useCommits(sessionId);
  const blocked = useBlockedCommits(sessionId);
  const warnings = blocked.data?.length ?? 0;
  const count = commits.data?.length ?? 0;
  return (
    <Button
      size="small"
      variant="outlined"
      color={warnings > 0 ? 'warning' : 'inherit'}
      startIcon={warnings > 0 ? <WarningAmberIcon /> : <HistoryIcon />}
      onClick={onClick}
      data-testid="activity-count"
      data-count={count}
      data-warnings={warnings}
      sx={{ borderColor: warnings > 0 ? undefined : 'divider' }}
    >
      {strings.commits.open}
      {count > 0 && (
        <Box
          component="span"
          sx={{
            ml: 1,
            px: 0.75,
            minWidth: 20,
            borderRadius: 10,
            bgcolor: 'action.selected',
            fontSize: 12,
            lineHeight: '20px',
            textAlign: 'center',
          }}
        >
          {count > 99 ? '99+' : count}
        </Box>
      )}
    </Button>
  );
}

const terminalIcons: Record<string, ReactNode> = {
  claude: <AutoAwesomeIcon sx={{ fontSize: 16, color: 'primary.main' }} />,
  shell: <TerminalIcon sx={{ fontSize: 16, color: 'secondary.main' }} />,
};

function Terminals({ session }: { session: Session }) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'));
  const names = session.terminals.length > 0 ? session.terminals : ['claude', 'shell'];
  const [tab, setTab] = useState(names[0] ?? 'claude');

  return (
    <Stack sx={{ flex: 1, minHeight: { xs: 420, md: 360 }, gap: 1 }}>
      {!wide && (
        <Tabs value={tab} onChange={(_e, value: string) => setTab(value)} variant="fullWidth">
          {names.map((name) => (
            <Tab
              key={name}
              value={name}
              label={strings.session.terminalTitles[name] ?? name}
              icon={terminalIcons[name] as ReactElement | undefined}
              iconPosition="start"
              sx={{ minHeight: 44 }}
            />
          ))}
        </Tabs>
      )}
      <Stack direction="row" spacing={wide ? 2 : 0} sx={{ flex: 1, minHeight: 0 }}>
        {names.map((name, index) => (
          <TerminalView
            key={name}
            sessionId={session.id}
            name={name}
            title={strings.session.terminalTitles[name] ?? name}
            icon={terminalIcons[name] ?? <TerminalIcon sx={{ fontSize: 16 }} />}
            visible={wide || tab === name}
            preferFocus={wide ? index === 0 : tab === name}
          />
        ))}
      </Stack>
    </Stack>
  );
}

function NotRunning({ session }: { session: Session }) {
  const busy = session.status === 'pending' || session.status === 'starting';
  return (
    <Paper
      variant="outlined"
      data-testid="session-not-running"
      sx={{ flex: 1, display: 'grid', placeItems: 'center', p: 4, minHeight: 320 }}
    >
      <Stack spacing={2} alignItems="center" sx={{ maxWidth: 560, textAlign: 'center' }}>
        {busy ? (
          <CircularProgress size={32} />
        ) : (
          <StatusChip status={session.status} size="medium" />
        )}
        <Typography variant="h6">{strings.session.notRunningTitle(session.status)}</Typography>
        <Typography variant="body2" color="text.secondary">
          {strings.session.notRunningBody(session.status)}
        </Typography>
        {session.status === 'failed' && session.error && (
          <Alert
            severity="error"
            variant="outlined"
            sx={{ textAlign: 'left', width: '100%' }}
            data-testid="session-error"
          >
            <Box
              component="pre"
              sx={{ m: 0, whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 13 }}
            >
              {session.error}
            </Box>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
