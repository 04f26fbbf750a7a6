import { describe, expect, it } from 'vitest';
import { MAX_AGENT_LINE_BYTES } from '@ccr/protocol/agent';
import { AgentLineSplitter, isIngested } from './agent-events.service';
import { parseAgentLine } from './agent-readiness';

const at = '2026-01-01T00:00:00.000Z';
const sha = 'a'.repeat(40);

describe('AgentLineSplitter', () => {
  it('joins chunks into lines and drops overlong ones', () => {
    const lines: string[] = [];
    const splitter = new AgentLineSplitter((line) => lines.push(line));
    splitter.push('one\ntw');
    splitter.push('o\n');
    splitter.push('x'.repeat(MAX_AGENT_LINE_BYTES + 10));
    splitter.push('still the long line\nthree\n');
    expect(lines).toEqual(['one', 'two', 'three']);
  });
});

describe('agent event lines', () => {
  it('accepts commit and file events and refuses bad or oversized ones', () => {
    const commit = {
      ccr: 1,
      type: 'commit.created',
      at,
      data: {
        sha,
        branch: 'ccr/demo',
        author: 'dev <dev@example.test>',
        message: 'feat: add a.ts',
        files: ['a.ts'],
        filesTotal: 1,
        insertions: 1,
        deletions: 0,
        pushed: false,
      },
    };
    const parsed = parseAgentLine(JSON.stringify(commit));
    expect(parsed && isIngested(parsed)).toBe(true);
    expect(
      parseAgentLine(JSON.stringify({ ...commit, data: { ...commit.data, sha: 'nope' } })),
    ).toBeNull();
    expect(
      parseAgentLine(
        JSON.stringify({ ...commit, data: { ...commit.data, files: Array(101).fill('a.ts') } }),
      ),
    ).toBeNull();
    const blocked = parseAgentLine(
      JSON.stringify({
        ccr: 1,
        type: 'commit.blocked',
        at,
        data: { file: '.env', line: null, kind: 'secret-file' },
      }),
    );
    expect(blocked && isIngested(blocked)).toBe(true);
    expect(
      parseAgentLine(
        JSON.stringify({
          ccr: 1,
          type: 'commit.blocked',
          at,
          data: { file: '.env', line: 1, kind: 'secret-file', secret: 'x' },
        }),
      ),
    ).not.toHaveProperty('data.secret');
    const ready = parseAgentLine(
      JSON.stringify({
        ccr: 1,
        type: 'agent.ready',
        at,
        data: { terminals: [], workBranch: 'w', head: null },
      }),
    );
    expect(ready && isIngested(ready)).toBe(false);
  });
});
