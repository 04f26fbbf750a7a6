// Waits for the agent's verdict on a container's stdout. Every line is untrusted: lines are
// bounded, non-JSON output is ignored, and only lines that parse as AgentLineSchema count.
import type { Readable } from 'node:stream';
import { type AgentLine, AgentLineSchema, MAX_AGENT_LINE_BYTES } from '@ccr/protocol/agent';

export class AgentNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentNotReadyError';
  }
}

export function parseAgentLine(line: string): AgentLine | null {
  if (line.length > MAX_AGENT_LINE_BYTES) {
    return null;
  }
  // Tolerate a prefix (a timestamp or stream header) before the JSON object.
  const start = line.indexOf('{');
  if (start < 0) {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(line.slice(start));
  } catch {
    return null;
  }
  const parsed = AgentLineSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface ReadinessOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Epoch ms; earlier agent.ready lines belong to a previous run of the container. */
  notBefore?: number;
  onLine?: (line: AgentLine) => void;
}

/** Resolves on agent.ready; rejects with AgentNotReadyError on agent.failed, timeout or end of stream. */
export function waitForAgentReady(
  stream: Readable,
  options: ReadinessOptions,
): Promise<Extract<AgentLine, { type: 'agent.ready' }>> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let discarding = false;
    let settled = false;
    const finish = (
      error: Error | null,
      ready?: Extract<AgentLine, { type: 'agent.ready' }>,
    ): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      if (error) {
        reject(error);
      } else {
        resolve(ready!);
      }
    };
    const handleLine = (line: string): void => {
      const parsed = parseAgentLine(line);
      if (!parsed) {
        return;
      }
      options.onLine?.(parsed);
      switch (parsed.type) {
        case 'agent.ready': {
          const at = Date.parse(parsed.at);
          if (options.notBefore === undefined || Number.isNaN(at) || at >= options.notBefore) {
            finish(null, parsed);
          }
          break;
        }
        case 'agent.failed':
          finish(new AgentNotReadyError(`${parsed.data.stage}: ${parsed.data.message}`));
          break;
        case 'agent.progress':
        case 'commit.created':
        case 'commit.blocked':
        case 'files.changed':
          break;
      }
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0 && !settled) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!discarding) {
          handleLine(line);
        }
        discarding = false;
        newline = buffered.indexOf('\n');
      }
      if (buffered.length > MAX_AGENT_LINE_BYTES) {
        // An overlong line is dropped up to its end, so memory stays bounded.
        buffered = '';
        discarding = true;
      }
    };
    const onEnd = (): void => {
      if (!discarding && buffered.length > 0) {
        handleLine(buffered);
        buffered = '';
      }
      finish(new AgentNotReadyError('the sandbox exited before it was ready'));
    };
    const onError = (error: Error): void => {
      finish(new AgentNotReadyError(`lost the sandbox's output: ${error.message}`));
    };
    const onAbort = (): void => {
      finish(new AgentNotReadyError('aborted'));
    };
    const timer = setTimeout(() => {
      finish(
        new AgentNotReadyError(
          `the sandbox was not ready within ${Math.round(options.timeoutMs / 1000)}s`,
        ),
      );
    }, options.timeoutMs);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
  });
}
