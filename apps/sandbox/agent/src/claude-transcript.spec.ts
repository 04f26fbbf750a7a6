import { describe, expect, it } from 'vitest';
import {
  lastUserPrompt,
  projectTranscriptDir,
  transcriptPathFromHookInput,
} from './claude-transcript.js';

const line = (value: unknown): string => JSON.stringify(value);

describe('lastUserPrompt', () => {
  it('finds the last prompt the user typed, skipping tool results and bookkeeping', () => {
    const transcript = [
      line({ type: 'user', message: { role: 'user', content: 'first prompt' } }),
      line({
        type: 'assistant',
        message: { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
      }),
      line({
        type: 'user',
        message: { role: 'user', content: [{ type: 'text', text: 'Add a greeting\nto hello.ts' }] },
      }),
      line({ type: 'assistant', message: { role: 'assistant', content: [] } }),
      line({
        type: 'user',
        message: {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done' }],
        },
      }),
      line({ type: 'user', isMeta: true, message: { role: 'user', content: 'Caveat: ...' } }),
      line({
        type: 'user',
        message: { role: 'user', content: '<command-name>/cost</command-name>' },
      }),
      '{"cut json',
      '',
    ].join('\n');
    expect(lastUserPrompt(transcript)).toBe('Add a greeting\nto hello.ts');
  });

  it('is null without a prompt', () => {
    expect(lastUserPrompt('')).toBeNull();
    expect(lastUserPrompt(line({ type: 'summary', summary: 'x' }))).toBeNull();
  });

  it('bounds a very long prompt', () => {
    const text = 'x'.repeat(10_000);
    expect(
      lastUserPrompt(line({ type: 'user', message: { role: 'user', content: text } })),
    ).toHaveLength(4000);
  });
});

describe('transcriptPathFromHookInput', () => {
  it('reads an absolute .jsonl path and refuses anything else', () => {
    expect(
      transcriptPathFromHookInput(
        line({ session_id: 's', transcript_path: '/home/dev/.claude/projects/-workspace/s.jsonl' }),
      ),
    ).toBe('/home/dev/.claude/projects/-workspace/s.jsonl');
    expect(transcriptPathFromHookInput(line({ transcript_path: 'relative.jsonl' }))).toBeNull();
    expect(transcriptPathFromHookInput(line({ transcript_path: '/etc/passwd' }))).toBeNull();
    expect(transcriptPathFromHookInput('not json')).toBeNull();
    expect(transcriptPathFromHookInput('')).toBeNull();
  });
});

describe('projectTranscriptDir', () => {
  it('names the directory the way Claude Code does', () => {
    expect(projectTranscriptDir('/home/dev/.claude', '/workspace')).toBe(
      '/home/dev/.claude/projects/-workspace',
    );
  });
});
