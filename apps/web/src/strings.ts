// Every user-facing string lives here so that tests (the Playwright e2e) assert on the same
// constants the UI renders.
import type { SessionStatus } from '@ccr/protocol/api';

export const strings = {
  productName: 'Claude Code Remote',
  loading: 'Loading…',
  back: 'All sessions',
  cancel: 'Cancel',
  retry: 'Retry',
  unexpectedError: 'Something went wrong. Please try again.',
  networkError: 'The server cannot be reached. Check your connection and try again.',

  login: {
    title: 'Sign in',
    subtitle: 'Run Claude Code in isolated sandboxes, from any browser.',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    invalidCredentials: 'Wrong email or password.',
    tooManyAttempts: 'Too many attempts. Wait a moment and try again.',
  },

  shell: {
    logout: 'Sign out',
    account: 'Account',
    liveConnected: 'Live updates on',
    liveReconnecting: 'Live updates reconnecting…',
  },

  sessions: {
    title: 'Sessions',
    subtitle:
      'Each session is an isolated container with its own workspace, Claude Code and a shell.',
    create: 'New session',
    emptyTitle: 'No sessions yet',
    emptyBody:
      'Create your first session: point it at a git repository (or start from an empty one) and Claude Code will be waiting in its own sandbox.',
    emptyAction: 'Create your first session',
    columnName: 'Name',
    columnRepo: 'Repository',
    columnBranch: 'Branch',
    columnStatus: 'Status',
    columnCreated: 'Created',
    columnActivity: 'Last activity',
    columnActions: 'Actions',
    emptyRepo: 'New repository',
    open: 'Open',
    stop: 'Stop',
    start: 'Start',
    delete: 'Delete',
    loadFailed: 'The sessions could not be loaded.',
    deleteTitle: (name: string) => `Delete session “${name}”?`,
    deleteBody:
      'The container and its workspace volume are removed. Commits already pushed stay on the remote; anything not pushed is lost.',
    deleteConfirm: 'Delete session',
  },

  create: {
    title: 'New session',
    name: 'Name',
    nameHelp: 'Lowercase letters, digits and dashes. Becomes the work branch ccr/<name>.',
    repoUrl: 'Repository URL',
    repoUrlHelp:
      'https://, http:// or ssh:// (or user@host:path). Leave empty for a new repository.',
    branch: 'Branch',
    branchHelp: 'The branch to start from. Leave empty for the default branch.',
    resources: 'Resources',
    memoryMb: 'Memory (MB)',
    cpus: 'CPUs',
    serverDefault: 'Server default',
    mustBeNumber: 'must be a number',
    submit: 'Create session',
    submitting: 'Creating…',
  },

  session: {
    notFound: 'This session does not exist, or it is not yours.',
    branch: 'Branch',
    workBranch: 'Work branch',
    repository: 'Repository',
    notRunningTitle: (status: SessionStatus) =>
      status === 'failed'
        ? 'This session failed'
        : status === 'stopped'
          ? 'This session is stopped'
          : 'This session is starting',
    notRunningBody: (status: SessionStatus) =>
      status === 'stopped'
        ? 'Its workspace is kept. Start it again to get back to both terminals where you left them.'
        : status === 'failed'
          ? 'The container could not be brought up. The reason is below.'
          : 'The container is being prepared: the repository is cloned and both terminals are started.',
    terminalTitles: { claude: 'Claude Code', shell: 'Shell' } as Record<string, string>,
  },

  status: {
    pending: 'Pending',
    starting: 'Starting',
    running: 'Running',
    stopped: 'Stopped',
    failed: 'Failed',
  } satisfies Record<SessionStatus, string>,

  terminal: {
    connecting: 'Connecting',
    open: 'Connected',
    reconnecting: 'Reconnecting',
    closed: 'Disconnected',
    exited: 'Process ended',
    exitedWithCode: (code: number) => `The terminal's process ended (exit code ${code}).`,
    reconnect: 'Reconnect',
    notFound: 'This terminal does not exist in this session.',
    notRunning: 'The session is not running.',
    forbidden: 'You are not allowed to open this terminal.',
    reconnectIn: (seconds: number) => `Retrying in ${seconds}s`,
  },
} as const;
