import { auditTypes, type AuditEntry, type AuditType } from '@ccr/protocol/accounts';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  Link,
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
import { useDeferredValue, useMemo, useState } from 'react';
import { useAudit, useUsers } from '../../api/accounts.queries';
import { PageHeader } from '../../components/PageHeader/page-header';
import { absoluteTime, relativeTime } from '../../format-time';
import { strings } from '../../strings';

type Since = keyof typeof strings.audit.sinceOptions;

const sinceMs: Record<Since, number | null> = {
  all: null,
  hour: 3600_000,
  day: 24 * 3600_000,
  week: 7 * 24 * 3600_000,
};

const typeColors: Partial<Record<string, 'error' | 'warning' | 'success' | 'info'>> = {
  auth: 'info',
  user: 'warning',
  token: 'success',
};

export function AuditPage() {
  const [type, setType] = useState<AuditType | ''>('');
  const [userId, setUserId] = useState('');
  const [sessionInput, setSessionInput] = useState('');
  const [since, setSince] = useState<Since>('all');
  const sessionId = useDeferredValue(sessionInput.trim());
  const users = useUsers();
  const audit = useAudit({
    type: type === '' ? undefined : type,
    userId: userId === '' ? undefined : userId,
    sessionId: sessionId === '' ? undefined : sessionId,
  });

  // The API filters by type, user and session; time is a cut-off over newest-first pages, so
  // paging stops as soon as a page reaches past it.
  const cutoff = sinceMs[since] === null ? null : Date.now() - (sinceMs[since] ?? 0);
  const { entries, reachedCutoff } = useMemo(() => {
    const all = audit.data?.pages.flat() ?? [];
    if (cutoff === null) {
      return { entries: all, reachedCutoff: false };
    }
    const kept = all.filter((e) => new Date(e.at).getTime() >= cutoff);
    return { entries: kept, reachedCutoff: kept.length < all.length };
  }, [audit.data, cutoff]);
  const canLoadMore = audit.hasNextPage && !reachedCutoff;

  return (
    <Stack
      spacing={3}
      sx={{ px: { xs: 2, md: 4 }, py: 3, maxWidth: 1400, width: '100%', mx: 'auto' }}
    >
      <PageHeader title={strings.audit.title} subtitle={strings.audit.subtitle} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5}>
        <TextField
          select
          size="small"
          label={strings.audit.type}
          value={type}
          onChange={(e) => setType(e.target.value as AuditType | '')}
          sx={{ minWidth: 220 }}
          slotProps={{
            htmlInput: { 'data-field': 'type' },
            inputLabel: { shrink: true },
            select: { displayEmpty: true },
          }}
        >
          <MenuItem value="">{strings.audit.anyType}</MenuItem>
          {auditTypes.map((t) => (
            <MenuItem key={t} value={t} sx={{ fontFamily: 'monospace', fontSize: 14 }}>
              {t}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={strings.audit.user}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          sx={{ minWidth: 240 }}
          slotProps={{
            htmlInput: { 'data-field': 'user' },
            inputLabel: { shrink: true },
            select: { displayEmpty: true },
          }}
        >
          <MenuItem value="">{strings.audit.anyUser}</MenuItem>
          {(users.data ?? []).map((u) => (
            <MenuItem key={u.id} value={u.id}>
              {u.email}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label={strings.audit.session}
          value={sessionInput}
          onChange={(e) => setSessionInput(e.target.value)}
          sx={{ minWidth: 280 }}
          slotProps={{ htmlInput: { maxLength: 100, 'data-field': 'session' } }}
        />
        <TextField
          select
          size="small"
          label={strings.audit.since}
          value={since}
          onChange={(e) => setSince(e.target.value as Since)}
          sx={{ minWidth: 160 }}
          slotProps={{ htmlInput: { 'data-field': 'since' } }}
        >
          {(Object.keys(strings.audit.sinceOptions) as Since[]).map((key) => (
            <MenuItem key={key} value={key}>
              {strings.audit.sinceOptions[key]}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {audit.isPending ? (
        <Box sx={{ display: 'grid', placeItems: 'center', py: 6 }}>
          <CircularProgress aria-label={strings.loading} />
        </Box>
      ) : audit.isError ? (
        <Alert severity="error" variant="outlined">
          {strings.audit.loadFailed} {audit.error.message}
        </Alert>
      ) : (
        <>
          <TableContainer component={Paper} variant="outlined">
            <Table size="small" data-testid="audit-table">
              <TableHead>
                <TableRow>
                  <TableCell>{strings.audit.columnTime}</TableCell>
                  <TableCell>{strings.audit.columnType}</TableCell>
                  <TableCell>{strings.audit.columnActor}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', lg: 'table-cell' } }}>
                    {strings.audit.columnSession}
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    {strings.audit.columnIp}
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    {strings.audit.columnDetails}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {entries.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={6} sx={{ py: 4, textAlign: 'center' }}>
                      <Typography variant="body2" color="text.secondary">
                        {strings.audit.empty}
                      </Typography>
                    </TableCell>
                  </TableRow>
                ) : (
                  entries.map((entry) => (
                    <AuditRow key={entry.id} entry={entry} onSession={setSessionInput} />
                  ))
                )}
              </TableBody>
            </Table>
          </TableContainer>
          <Box sx={{ display: 'flex', justifyContent: 'center' }}>
            {canLoadMore ? (
              <Button
                variant="outlined"
                color="inherit"
                onClick={() => void audit.fetchNextPage()}
                disabled={audit.isFetchingNextPage}
              >
                {audit.isFetchingNextPage ? strings.audit.loadingMore : strings.audit.loadMore}
              </Button>
            ) : (
              entries.length > 0 && (
                <Typography variant="caption" color="text.secondary">
                  {strings.audit.end}
                </Typography>
              )
            )}
          </Box>
        </>
      )}
    </Stack>
  );
}

function AuditRow({
  entry,
  onSession,
}: {
  entry: AuditEntry;
  onSession: (sessionId: string) => void;
}) {
  const family = entry.type.split('.')[0] ?? '';
  const failed = entry.type === 'auth.login_failed';
  const details = Object.entries(entry.data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return (
    <TableRow hover data-audit-type={entry.type}>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <Tooltip title={absoluteTime(entry.at)}>
          <span>{relativeTime(entry.at)}</span>
        </Tooltip>
      </TableCell>
      <TableCell>
        <Chip
          size="small"
          variant="outlined"
          color={failed ? 'error' : (typeColors[family] ?? 'default')}
          label={entry.type}
          sx={{ fontFamily: 'monospace' }}
        />
      </TableCell>
      <TableCell sx={{ wordBreak: 'break-all' }}>
        {entry.actorEmail ?? (
          <Typography component="span" variant="body2" color="text.secondary">
            {strings.audit.unknownActor}
          </Typography>
        )}
      </TableCell>
      <TableCell
        sx={{
          display: { xs: 'none', lg: 'table-cell' },
          fontFamily: 'monospace',
          fontSize: 12.5,
        }}
      >
        {entry.sessionId ? (
          <Tooltip title={strings.audit.filterSession(entry.sessionId)}>
            <Link
              component="button"
              type="button"
              underline="hover"
              color="inherit"
              onClick={() => onSession(entry.sessionId ?? '')}
              sx={{ fontFamily: 'inherit', fontSize: 'inherit' }}
            >
              {entry.sessionId.slice(0, 8)}
            </Link>
          </Tooltip>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell
        sx={{ display: { xs: 'none', md: 'table-cell' }, fontFamily: 'monospace', fontSize: 12.5 }}
      >
        {entry.ip ?? '—'}
      </TableCell>
      <TableCell
        sx={{
          display: { xs: 'none', md: 'table-cell' },
          color: 'text.secondary',
          maxWidth: 360,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
        }}
        title={details}
      >
        {details || '—'}
      </TableCell>
    </TableRow>
  );
}
