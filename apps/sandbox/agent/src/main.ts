// Entry point of the ccr-agent bundle (/usr/local/bin/ccr-agent in the sandbox image).
import { parseAgentArgs, USAGE, UsageError } from './cli-args.js';
import { commitCommand } from './commit-command.js';
import { detachCommand } from './detach-command.js';
import { flushCommand } from './flush-command.js';
import { runAgent } from './run-command.js';
import { statusCommand } from './status-command.js';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseAgentArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ccr-agent: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  switch (command.verb) {
    case 'run':
      return runAgent();
    case 'status':
      return statusCommand(command.json);
    case 'detach':
      return detachCommand(command.clientId);
    case 'flush':
      return flushCommand();
    case 'commit':
      return commitCommand(command.json, command.message);
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ccr-agent: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
