// The verbs ccr-agent understands. Parsing is pure so that every refusal is unit-tested; the
// server runs these through `docker exec`, so unknown input fails loudly instead of guessing.

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type AgentCommand =
  | { verb: 'run' }
  | { verb: 'status'; json: boolean }
  | { verb: 'detach'; clientId: string }
  | { verb: 'flush' }
  | { verb: 'commit'; json: boolean; message: string | null }
  | { verb: 'help' };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = [
  'usage: ccr-agent run                 prepare /workspace, start the terminals, supervise them',
  '       ccr-agent status [--json]     report whether init finished and which terminals exist',
  '       ccr-agent detach <clientId>   end the tmux client that ccr-attach started for <clientId>',
  '       ccr-agent flush               (Claude Code Stop hook) commit the finished turn now',
  '       ccr-agent commit [--json] [--message M]   commit every change now',
].join('\n');

export function parseAgentArgs(argv: readonly string[]): AgentCommand {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'run':
      expectNoMore(verb, rest);
      return { verb: 'run' };
    case 'status': {
      const unknown = rest.filter((arg) => arg !== '--json');
      if (unknown.length > 0) {
        throw new UsageError(`status: unexpected argument ${JSON.stringify(unknown[0])}`);
      }
      return { verb: 'status', json: rest.includes('--json') };
    }
    case 'detach': {
      const [clientId, ...extra] = rest;
      if (clientId === undefined) {
        throw new UsageError('detach: missing <clientId>');
      }
      expectNoMore(verb, extra);
      if (!CLIENT_ID_PATTERN.test(clientId)) {
        throw new UsageError('detach: <clientId> must match [A-Za-z0-9_-]{1,64}');
      }
      return { verb: 'detach', clientId };
    }
    case 'flush':
      expectNoMore(verb, rest);
      return { verb: 'flush' };
    case 'commit':
      return parseCommit(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      expectNoMore('help', rest);
      return { verb: 'help' };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(verb)}`);
  }
}

export const MAX_COMMIT_MESSAGE_ARG = 8000;

function parseCommit(rest: readonly string[]): AgentCommand {
  let json = false;
  let message: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--json') {
      json = true;
    } else if (arg === '--message' || arg === '-m') {
      const value = rest[i + 1];
      if (value === undefined || value.trim() === '') {
        throw new UsageError('commit: --message needs a non-empty value');
      }
      if (value.length > MAX_COMMIT_MESSAGE_ARG) {
        throw new UsageError(
          `commit: --message is longer than ${MAX_COMMIT_MESSAGE_ARG} characters`,
        );
      }
      message = value;
      i += 1;
    } else {
      throw new UsageError(`commit: unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  return { verb: 'commit', json, message };
}

function expectNoMore(verb: string, rest: readonly string[]): void {
  if (rest.length > 0) {
    throw new UsageError(`${verb}: unexpected argument ${JSON.stringify(rest[0])}`);
  }
}
