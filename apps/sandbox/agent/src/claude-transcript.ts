// The user's last prompt, read from Claude Code's transcript (a JSONL file whose path the Stop
// hook receives). Tool results and Claude Code's own bookkeeping are also "user" entries; only
// text the user typed counts. Unknown shapes are skipped, never fatal.

const MAX_PROMPT = 4000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function promptText(entry: unknown): string | null {
  if (!isObject(entry) || entry.type !== 'user' || entry.isMeta === true) {
    return null;
  }
  const message = entry.message;
  if (!isObject(message) || message.role !== 'user') {
    return null;
  }
  let text: string;
  if (typeof message.content === 'string') {
    text = message.content;
  } else if (Array.isArray(message.content)) {
    text = message.content
      .filter((part): part is { type: 'text'; text: string } => {
        return isObject(part) && part.type === 'text' && typeof part.text === 'string';
      })
      .map((part) => part.text)
      .join('\n');
  } else {
    return null;
  }
  text = text.trim();
  // Slash commands and their output are recorded as tagged user text.
  if (text === '' || /^<(command-|local-command-|system-reminder)/.test(text)) {
    return null;
  }
  return text.length > MAX_PROMPT ? text.slice(0, MAX_PROMPT) : text;
}

/** The last prompt in a transcript (its tail is enough; a cut first line is skipped). */
export function lastUserPrompt(jsonl: string): string | null {
  const lines = jsonl.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line === '') {
      continue;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const text = promptText(entry);
    if (text !== null) {
      return text;
    }
  }
  return null;
}

/** Claude Code keeps a project's transcripts in projects/<path with "/" as "-">/. */
export function projectTranscriptDir(configDir: string, projectDir: string): string {
  return `${configDir}/projects/${projectDir.replace(/[^A-Za-z0-9]/g, '-')}`;
}

/** The Stop hook's stdin: `{session_id, transcript_path, ...}`. */
export function transcriptPathFromHookInput(input: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch {
    return null;
  }
  if (!isObject(value) || typeof value.transcript_path !== 'string') {
    return null;
  }
  const path = value.transcript_path;
  return path.startsWith('/') && path.endsWith('.jsonl') && !path.includes('\0') ? path : null;
}
