// The session lifecycle as data: pending → starting → running → stopped, plus failed. Every
// status write goes through `canTransition`, and user actions through `allowedActions`.
import type { SessionStatus } from '@ccr/protocol/api';
import { SessionError } from './sessions.errors';

const transitions: Record<SessionStatus, readonly SessionStatus[]> = {
  pending: ['starting', 'failed'],
  // starting → stopped: stopped while waiting for the agent, or a start that did not come up.
  starting: ['running', 'stopped', 'failed'],
  running: ['stopped', 'failed'],
  // stopped → failed: the container disappeared behind the server's back.
  stopped: ['starting', 'failed'],
  // failed → starting: a session whose container crashed starts again in that container
  // (start refuses when the container is gone).
  failed: ['starting'],
};

export type SessionAction = 'stop' | 'start' | 'delete' | 'update' | 'logs';

const actions: Record<SessionAction, readonly SessionStatus[]> = {
  stop: ['starting', 'running'],
  start: ['stopped', 'failed'],
  delete: ['pending', 'starting', 'running', 'stopped', 'failed'],
  update: ['pending', 'starting', 'running', 'stopped', 'failed'],
  logs: ['pending', 'starting', 'running', 'stopped', 'failed'],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return transitions[from].includes(to);
}

export function canPerform(action: SessionAction, status: SessionStatus): boolean {
  return actions[action].includes(status);
}

export function assertCanPerform(action: SessionAction, status: SessionStatus): void {
  if (!canPerform(action, status)) {
    throw new SessionError('SESSION_INVALID_STATE', {
      message: `cannot ${action} a session that is ${status}`,
    });
  }
}

/** The states a session may be in when it moves to `to`. */
export function sourcesOf(to: SessionStatus): SessionStatus[] {
  return (Object.keys(transitions) as SessionStatus[]).filter((from) => canTransition(from, to));
}
