// One way to run a program: no shell, arguments as an array, output captured. The agent
// never builds a command line from strings, so no value can be re-interpreted by a shell.
import { spawn } from 'node:child_process';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the program's stdin, which is then closed. */
  input?: string | Buffer;
}

export function execFile(
  file: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A program that exits without reading its input must not crash the agent.
    child.stdin.on('error', () => undefined);
    // Without input the program sees end-of-file at once, as with an ignored stdin.
    child.stdin.end(options.input);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    readonly result: ExecResult,
  ) {
    super(
      `${[file, ...args].join(' ')} exited with ${result.code}: ${lastLines(result.stderr || result.stdout)}`,
    );
  }
}

/** Runs the program and throws CommandError when it exits non-zero. */
export async function execChecked(
  file: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<string> {
  const result = await execFile(file, args, options);
  if (result.code !== 0) {
    throw new CommandError(file, args, result);
  }
  return result.stdout;
}

export function lastLines(text: string, count = 6): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
