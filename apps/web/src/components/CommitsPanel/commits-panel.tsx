import type { SessionCommit } from '@ccr/protocol/agent';
import type { Session } from '@ccr/protocol/api';
import CloseIcon from '@mui/icons-material/Close';
import CloudDoneOutlinedIcon from '@mui/icons-material/CloudDoneOutlined';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  CircularProgress,
  Collapse,
  Divider,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  Stack,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useBlockedCommits, useCommitNow, useCommits } from '../../api/commits.queries';
import { absoluteTime, relativeTime } from '../../format-time';
import { strings } from '../../strings';

interface CommitsPanelProps {
  session: Session;
  open: boolean;
  onClose: () => void;
}

/**
 * The session's activity in a drawer over the page, so opening it never squeezes the
 * terminals. Kept mounted while closed: commit events keep the cache current either way.
 */
export function CommitsPanel({ session, open, onClose }: CommitsPanelProps) {
  return (
    <Drawer
      anchor="right"
      open={open}
      onClose={onClose}
      keepMounted
      slotProps={{
        paper: {
          sx: { width: { xs: '100%', sm: 440 }, bgcolor: 'background.default' },
          'data-testid': 'commits-panel',
        } as object,
      }}
    >
      <Stack direction="row" alignItems="center" sx={{ px: 2, py: 1.5, gap: 1 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2">
            {strings.commits.title}
          </Typography>
          <Typography variant="body2" color="text.secondary" noWrap>
            {strings.commits.subtitle(session.workBranch)}
          </Typography>
        </Box>
        <IconButton aria-label={strings.commits.close} onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </Stack>
      <Divider />
      <CommitNowForm session={session} />
      <Divider />
      <Box sx={{ flex: 1, overflowY: 'auto' }}>
        <BlockedWarnings sessionId={session.id} />
        <CommitList sessionId={session.id} />
      </Box>
    </Drawer>
  );
}

function CommitNowForm({ session }: { session: Session }) {
  const commitNow = useCommitNow(session.id);
  const [message, setMessage] = useState('');
  const running = session.status === 'running';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = message.trim();
    commitNow.mutate(trimmed === '' ? undefined : trimmed, {
      onSuccess: (result) => {
        if (result.commit) {
          setMessage('');
        }
      },
    });
  };

  return (
    <Stack component="form" onSubmit={submit} spacing={1.5} sx={{ p: 2 }} noValidate>
      <TextField
        label={strings.commits.commitMessage}
        helperText={running ? strings.commits.commitMessageHelp : strings.commits.notRunning}
        value={message}
        onChange={(e) => setMessage(e.target.value)}
        size="small"
        multiline
        maxRows={4}
        disabled={!running || commitNow.isPending}
        slotProps={{ htmlInput: { maxLength: 8000, 'data-field': 'commitMessage' } }}
      />
      <Stack direction="row" spacing={1.5} alignItems="center">
        <Button
          type="submit"
          variant="contained"
          disabled={!running || commitNow.isPending}
          startIcon={commitNow.isPending ? <CircularProgress size={16} color="inherit" /> : null}
        >
          {commitNow.isPending ? strings.commits.committing : strings.commits.commitNow}
        </Button>
      </Stack>
      {commitNow.isError && (
        <Alert severity="error" variant="outlined" onClose={() => commitNow.reset()}>
          {commitNow.error.message}
        </Alert>
      )}
      {commitNow.isSuccess && (
        <Alert
          severity={commitNow.data.commit ? 'success' : 'info'}
          variant="outlined"
          data-testid="commit-result"
          onClose={() => commitNow.reset()}
        >
          {commitNow.data.commit
            ? strings.commits.committed(commitNow.data.commit.sha.slice(0, 7))
            : strings.commits.nothingToCommit}
        </Alert>
      )}
    </Stack>
  );
}

function BlockedWarnings({ sessionId }: { sessionId: string }) {
  const blocked = useBlockedCommits(sessionId);
  if (!blocked.data || blocked.data.length === 0) {
    return null;
  }
  return (
    <Stack spacing={1} sx={{ p: 2, pb: 0 }}>
      {blocked.data.map((entry) => (
        <Alert key={entry.id} severity="warning" variant="outlined" data-testid="commit-blocked">
          <AlertTitle>{strings.commits.blockedTitle}</AlertTitle>
          <Box component="span" sx={{ overflowWrap: 'anywhere' }}>
            {strings.commits.blockedBody(entry.file, entry.line)}
          </Box>
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
            {entry.kind} · {relativeTime(entry.at)}
          </Typography>
        </Alert>
      ))}
    </Stack>
  );
}

function CommitList({ sessionId }: { sessionId: string }) {
  const commits = useCommits(sessionId);
  const [expanded, setExpanded] = useState<string | null>(null);

  if (commits.isPending) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', py: 6 }}>
        <CircularProgress size={28} aria-label={strings.loading} />
      </Box>
    );
  }
  if (commits.isError) {
    return (
      <Alert
        severity="error"
        variant="outlined"
        sx={{ m: 2 }}
        action={
          <Button color="inherit" size="small" onClick={() => void commits.refetch()}>
            {strings.retry}
          </Button>
        }
      >
        {strings.commits.loadFailed}
      </Alert>
    );
  }
  if (commits.data.length === 0) {
    return (
      <Typography
        variant="body2"
        color="text.secondary"
        sx={{ p: 3, textAlign: 'center' }}
        data-testid="commits-empty"
      >
        {strings.commits.empty}
      </Typography>
    );
  }
  return (
    <List disablePadding data-testid="commit-list">
      {commits.data.map((commit) => (
        <CommitRow
          key={commit.sha}
          commit={commit}
          expanded={expanded === commit.sha}
          onToggle={() => setExpanded((current) => (current === commit.sha ? null : commit.sha))}
        />
      ))}
    </List>
  );
}

function CommitRow({
  commit,
  expanded,
  onToggle,
}: {
  commit: SessionCommit;
  expanded: boolean;
  onToggle: () => void;
}) {
  const [subject = '', ...rest] = commit.message.split('\n');
  const body = rest.join('\n').trim();
  return (
    <Box
      component="li"
      data-testid="commit"
      data-sha={commit.sha}
      sx={{ listStyle: 'none', borderBottom: 1, borderColor: 'divider' }}
    >
      <ListItemButton
        onClick={onToggle}
        aria-expanded={expanded}
        sx={{ alignItems: 'flex-start', gap: 1, py: 1.25 }}
      >
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }} noWrap title={subject}>
            {subject}
          </Typography>
          <Stack
            direction="row"
            spacing={1.25}
            alignItems="center"
            sx={{ mt: 0.5, color: 'text.secondary', typography: 'caption' }}
          >
            <Box component="code" sx={{ fontFamily: 'monospace', color: 'primary.main' }}>
              {commit.sha.slice(0, 7)}
            </Box>
            <span>{strings.commits.files(commit.files.length)}</span>
            <Box component="span" sx={{ color: 'success.main', fontFamily: 'monospace' }}>
              +{commit.insertions}
            </Box>
            <Box component="span" sx={{ color: 'error.main', fontFamily: 'monospace' }}>
              −{commit.deletions}
            </Box>
            {commit.pushed && (
              <Tooltip title={strings.commits.pushed}>
                <CloudDoneOutlinedIcon sx={{ fontSize: 14 }} aria-label={strings.commits.pushed} />
              </Tooltip>
            )}
            <Box sx={{ flex: 1 }} />
            <Tooltip title={absoluteTime(commit.at)}>
              <span>{relativeTime(commit.at)}</span>
            </Tooltip>
          </Stack>
        </Box>
        {expanded ? (
          <ExpandLessIcon fontSize="small" sx={{ mt: 0.25, color: 'text.secondary' }} />
        ) : (
          <ExpandMoreIcon fontSize="small" sx={{ mt: 0.25, color: 'text.secondary' }} />
        )}
      </ListItemButton>
      <Collapse in={expanded} unmountOnExit>
        <Stack spacing={1.25} sx={{ px: 2, pb: 2 }} data-testid="commit-details">
          {body && (
            <Box
              component="pre"
              sx={{
                m: 0,
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-word',
                fontFamily: 'monospace',
                fontSize: 12.5,
                color: 'text.secondary',
              }}
            >
              {body}
            </Box>
          )}
          <Typography variant="caption" color="text.secondary">
            {strings.commits.author}: {commit.author}
          </Typography>
          <Box>
            <Typography variant="overline" color="text.secondary">
              {strings.commits.filesTitle}
            </Typography>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {commit.files.map((file) => (
                <Typography
                  key={file}
                  component="li"
                  variant="body2"
                  sx={{ fontFamily: 'monospace', fontSize: 12.5, wordBreak: 'break-all' }}
                >
                  {file}
                </Typography>
              ))}
            </Box>
          </Box>
        </Stack>
      </Collapse>
    </Box>
  );
}
