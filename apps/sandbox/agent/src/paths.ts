// Fixed places inside the sandbox image. The image (Dockerfile) creates them; the server and
// ccr-attach rely on the same names.

export const WORKSPACE_DIR = '/workspace';
export const DEFAULT_CLAUDE_CONFIG_DIR = '/home/dev/.claude';
/** Written when init has finished; removed at every start so a restart is never "ready" early. */
export const AGENT_STATE_DIR = '/tmp/ccr-agent';
export const INIT_MARKER_FILE = `${AGENT_STATE_DIR}/init-done.json`;
/** Unix socket on which `ccr-agent run` takes flush and commit requests from other verbs. */
export const CONTROL_SOCKET = `${AGENT_STATE_DIR}/control.sock`;
/** ccr-attach records the pid of each attached tmux client here as `<clientId>.pid`. */
export const CLIENTS_DIR = '/tmp/ccr-clients';
/** The restart loop the `claude` terminal runs (installed by the Dockerfile). */
export const CLAUDE_LOOP_SCRIPT = '/usr/local/bin/ccr-claude-loop';

export const TERMINALS = ['claude', 'shell'] as const;
export type TerminalName = (typeof TERMINALS)[number];
