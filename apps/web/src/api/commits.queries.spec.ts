import type { SessionCommit } from '@ccr/protocol/agent';
import type { Event } from '@ccr/protocol/events';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { applyCommitEvent, type BlockedEntry } from './commits.queries';
import { blockedQueryKey, commitsQueryKey } from './query-keys';

const sha = (c: string) => c.repeat(40);

function commitEvent(id: string, commitSha: string): Event {
  return {
    id,
    sessionId: 's1',
    type: 'commit.created',
    at: '2026-11-24T05:00:00.000Z',
    data: {
      sha: commitSha,
      branch: 'ccr/demo',
      author: 'Dev <dev@example.test>',
      message: 'Update notes.md\n\nbody',
      files: ['notes.md'],
      filesTotal: 1,
      insertions: 1,
      deletions: 0,
      pushed: false,
    },
  };
}

const existing: SessionCommit = {
  sha: sha('a'),
  message: 'first',
  author: 'Dev <dev@example.test>',
  at: '2026-11-24T04:00:00.000Z',
  files: ['a.txt'],
  insertions: 2,
  deletions: 1,
  pushed: true,
};

describe('applyCommitEvent', () => {
  it('puts a new commit first in a loaded list, once even when the event repeats', () => {
    const client = new QueryClient();
    client.setQueryData(commitsQueryKey('s1'), [existing]);
    expect(applyCommitEvent(client, commitEvent('1', sha('b')))).toBe(true);
    expect(applyCommitEvent(client, commitEvent('2', sha('b')))).toBe(true);
    const list = client.getQueryData<SessionCommit[]>(commitsQueryKey('s1'));
    expect(list?.map((c) => c.sha)).toEqual([sha('b'), sha('a')]);
    expect(list?.[0]).toMatchObject({ at: '2026-11-24T05:00:00.000Z', files: ['notes.md'] });
  });

  it('leaves a list nobody loaded alone, so the first read fetches the whole history', () => {
    const client = new QueryClient();
    applyCommitEvent(client, commitEvent('1', sha('b')));
    expect(client.getQueryData(commitsQueryKey('s1'))).toBeUndefined();
  });

  it('records a blocked commit with its file and line, newest first', () => {
    const client = new QueryClient();
    for (const [id, line] of [
      ['7', 3],
      ['8', null],
    ] as const) {
      applyCommitEvent(client, {
        id,
        sessionId: 's1',
        type: 'commit.blocked',
        at: '2026-11-24T05:00:00.000Z',
        data: { file: '.env', line, kind: 'secret-file' },
      });
    }
    const blocked = client.getQueryData<BlockedEntry[]>(blockedQueryKey('s1'));
    expect(blocked?.map((b) => [b.id, b.file, b.line])).toEqual([
      ['8', '.env', null],
      ['7', '.env', 3],
    ]);
  });

  it('ignores other event types', () => {
    const client = new QueryClient();
    const event: Event = {
      id: '1',
      sessionId: 's1',
      type: 'session.status',
      at: '2026-11-24T05:00:00.000Z',
      data: { status: 'running' },
    };
    expect(applyCommitEvent(client, event)).toBe(false);
  });
});
