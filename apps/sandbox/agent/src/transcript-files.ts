// Reading Claude Code's transcripts from disk, bounded: only the tail of a file is read, and
// only the newest transcript of the project directory is considered.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lastUserPrompt } from './claude-transcript.js';

const TRANSCRIPT_TAIL = 2 * 1024 * 1024;
const MAX_TRANSCRIPTS_LISTED = 5000;

/** The last `bytes` of a file: the newest prompt is near the end of a long transcript. */
export function readTail(path: string, bytes = TRANSCRIPT_TAIL): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The last prompt of the newest transcript in `dir`, when that transcript was written at or
 * after `sinceMs`: Claude Code was working while the files changed, so that prompt led to them.
 * A change made in the shell while Claude Code sat idle gets no prompt.
 */
export function recentPrompt(dir: string, sinceMs: number): string | null {
  let newest: { path: string; mtimeMs: number } | null = null;
  try {
    const names = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
    for (const name of names.slice(0, MAX_TRANSCRIPTS_LISTED)) {
      const path = join(dir, name);
      const { mtimeMs } = statSync(path);
      if (newest === null || mtimeMs > newest.mtimeMs) {
        newest = { path, mtimeMs };
      }
    }
  } catch {
    return null;
  }
  if (newest === null || newest.mtimeMs < sinceMs) {
    return null;
  }
  try {
    return lastUserPrompt(readTail(newest.path));
  } catch {
    return null;
  }
}
