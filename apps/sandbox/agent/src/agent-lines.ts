// Everything the agent tells the server goes through here: one JSON object per line on
// stdout, checked against the shared schema before it is written, so the agent can never
// print a line the server would reject. Nothing else may write to stdout in `run`.
import { AgentLineSchema, type AgentLine } from '@ccr/protocol/agent';

type FailedStage = Extract<AgentLine, { type: 'agent.failed' }>['data']['stage'];
type ReadyData = Extract<AgentLine, { type: 'agent.ready' }>['data'];

const MAX_MESSAGE = 4096;

export function formatAgentLine(line: AgentLine): string {
  return `${JSON.stringify(AgentLineSchema.parse(line))}\n`;
}

export function clip(message: string, max = MAX_MESSAGE): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}

function write(line: AgentLine): void {
  process.stdout.write(formatAgentLine(line));
}

export function emitProgress(stage: string, message: string): void {
  write({
    ccr: 1,
    type: 'agent.progress',
    at: new Date().toISOString(),
    data: { stage: stage.slice(0, 64), message: clip(message) },
  });
}

export function emitReady(data: ReadyData): void {
  write({ ccr: 1, type: 'agent.ready', at: new Date().toISOString(), data });
}

export function emitFailed(stage: FailedStage, message: string): void {
  write({
    ccr: 1,
    type: 'agent.failed',
    at: new Date().toISOString(),
    data: { stage, message: clip(message) },
  });
}

type CommitData = Extract<AgentLine, { type: 'commit.created' }>['data'];
type BlockedData = Extract<AgentLine, { type: 'commit.blocked' }>['data'];
type FilesChangedData = Extract<AgentLine, { type: 'files.changed' }>['data'];

export function emitCommitCreated(data: CommitData): void {
  write({ ccr: 1, type: 'commit.created', at: new Date().toISOString(), data });
}

export function emitCommitBlocked(data: BlockedData): void {
  write({ ccr: 1, type: 'commit.blocked', at: new Date().toISOString(), data });
}

export function emitFilesChanged(data: FilesChangedData): void {
  write({ ccr: 1, type: 'files.changed', at: new Date().toISOString(), data });
}

export type { FailedStage };
