import { describe, expect, it } from 'vitest';
import { sessionStatuses } from '@ccr/protocol/api';
import { assertCanPerform, canPerform, canTransition, sourcesOf } from './session-state';
import { SessionError } from './sessions.errors';

describe('session state machine', () => {
  it('follows pending → starting → running → stopped → starting', () => {
    expect(canTransition('pending', 'starting')).toBe(true);
    expect(canTransition('starting', 'running')).toBe(true);
    expect(canTransition('running', 'stopped')).toBe(true);
    expect(canTransition('stopped', 'starting')).toBe(true);
  });

  it('lets every live state fail, and a failed session only start again', () => {
    for (const from of ['pending', 'starting', 'running', 'stopped'] as const) {
      expect(canTransition(from, 'failed')).toBe(true);
    }
    expect(sessionStatuses.filter((to) => canTransition('failed', to))).toEqual(['starting']);
  });

  it('refuses shortcuts', () => {
    expect(canTransition('pending', 'running')).toBe(false);
    expect(canTransition('stopped', 'running')).toBe(false);
    expect(canTransition('running', 'pending')).toBe(false);
    expect(canTransition('running', 'starting')).toBe(false);
    expect(canTransition('pending', 'stopped')).toBe(false);
  });

  it('never transitions a state to itself', () => {
    for (const status of sessionStatuses) {
      expect(canTransition(status, status)).toBe(false);
    }
  });

  it('lists the sources of a target state', () => {
    expect(sourcesOf('stopped').sort()).toEqual(['running', 'starting']);
    expect(sourcesOf('running')).toEqual(['starting']);
    expect(sourcesOf('pending')).toEqual([]);
  });

  it('allows stop only while starting or running, start when stopped or failed, delete always', () => {
    expect(sessionStatuses.filter((s) => canPerform('stop', s))).toEqual(['starting', 'running']);
    expect(sessionStatuses.filter((s) => canPerform('start', s))).toEqual(['stopped', 'failed']);
    expect(sessionStatuses.filter((s) => canPerform('delete', s))).toEqual([...sessionStatuses]);
  });

  it('throws a 409 SessionError naming the action and state', () => {
    let caught: unknown;
    try {
      assertCanPerform('start', 'running');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionError);
    expect(caught).toMatchObject({
      code: 'SESSION_INVALID_STATE',
      kind: 'conflict',
      message: 'cannot start a session that is running',
    });
    expect(() => assertCanPerform('start', 'stopped')).not.toThrow();
  });
});
