import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTail, recentPrompt } from './transcript-files.js';

let dir: string;
const prompt = (text: string): string =>
  `${JSON.stringify({ type: 'user', message: { role: 'user', content: text } })}\n`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-transcripts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('recentPrompt', () => {
  it('reads the newest transcript when it was written recently enough', () => {
    writeFileSync(join(dir, 'old.jsonl'), prompt('old prompt'));
    writeFileSync(join(dir, 'new.jsonl'), prompt('new prompt'));
    utimesSync(join(dir, 'old.jsonl'), 1000, 1000);
    utimesSync(join(dir, 'new.jsonl'), 2000, 2000);
    expect(recentPrompt(dir, 1_500_000)).toBe('new prompt');
    expect(recentPrompt(dir, 2_500_000)).toBeNull();
  });

  it('is null without transcripts', () => {
    expect(recentPrompt(dir, 0)).toBeNull();
    expect(recentPrompt(join(dir, 'missing'), 0)).toBeNull();
  });
});

describe('readTail', () => {
  it('reads only the end of a file', () => {
    writeFileSync(join(dir, 'a.jsonl'), 'abcdefghij');
    expect(readTail(join(dir, 'a.jsonl'), 4)).toBe('ghij');
    expect(readTail(join(dir, 'a.jsonl'))).toBe('abcdefghij');
  });
});
