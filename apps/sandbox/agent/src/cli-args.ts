// The verbs ccr-agent understands. Parsing is pure so that every refusal is unit-tested; the
// server runs these through `docker exec`, so unknown input fails loudly instead of guessing.

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type AgentCommand =
  | { verb: 'run' }
  | { verb: 'status'; json: boolean }
  | { verb: 'detach'; clientId: string }
  | { verb: 'help' };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = [
  'usage: ccr-agent run                 prepare /workspace, start the terminals, supervise them',
  '       ccr-agent status [--json]     report whether init finished and which terminals exist',
  '       ccr-agent detach <clientId>   end the tmux client that ccr-attach started for <clientId>',
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

function expectNoMore(verb: string, rest: readonly string[]): void {
  if (rest.length > 0) {
    throw new UsageError(`${verb}: unexpected argument ${JSON.stringify(rest[0])}`);
  }
}
