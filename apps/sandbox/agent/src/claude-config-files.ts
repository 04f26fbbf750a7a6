// Reads, merges and atomically rewrites Claude Code's settings files in CLAUDE_CONFIG_DIR.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitProgress } from './agent-lines.js';
import {
  type ClaudeSeed,
  type JsonObject,
  mergeClaudeGlobalConfig,
  mergeClaudeSettings,
} from './claude-config.js';

export function seedClaudeConfig(configDir: string, seed: ClaudeSeed): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  updateJsonFile(join(configDir, '.claude.json'), (existing) =>
    mergeClaudeGlobalConfig(existing, seed),
  );
  updateJsonFile(join(configDir, 'settings.json'), (existing) =>
    mergeClaudeSettings(existing, seed),
  );
}

function updateJsonFile(path: string, merge: (existing: unknown) => JsonObject): void {
  let existing: unknown = undefined;
  let mode = 0o600;
  if (existsSync(path)) {
    mode = statSync(path).mode & 0o777;
    const text = readFileSync(path, 'utf8');
    try {
      existing = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      // Keep the unreadable file for the user instead of silently losing it.
      const backup = `${path}.corrupt-${Date.now()}`;
      renameSync(path, backup);
      emitProgress('claude-config', `${path} was not valid JSON; moved it to ${backup}`);
    }
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(merge(existing), null, 2)}\n`, { mode });
  renameSync(tmp, path);
}
