// Parsers for the NUL-separated (-z) output of the git commands the committer runs. -z keeps
// every path byte-exact: no quoting, and names with newlines or tabs cannot split a record.

export interface StatusEntry {
  /** Index and work-tree status letters, e.g. "??", " M", "A ", " D". */
  code: string;
  path: string;
}

/** `git status --porcelain=v1 -z --no-renames`. */
export function parseStatusZ(output: string): StatusEntry[] {
  return output
    .split('\0')
    .filter((record) => record.length > 3)
    .map((record) => ({ code: record.slice(0, 2), path: record.slice(3) }));
}

export interface RawEntry {
  newMode: string;
  newSha: string;
  /** A (added), M (modified), D (deleted), T (type changed). */
  status: string;
  path: string;
}

/** `git diff --raw -z --no-renames --no-abbrev`: ":old new oldsha newsha S\0path\0". */
export function parseRawZ(output: string): RawEntry[] {
  const parts = output.split('\0');
  const entries: RawEntry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i]!;
    const path = parts[i + 1]!;
    const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(meta);
    if (match) {
      entries.push({ newMode: match[2]!, newSha: match[4]!, status: match[5]!, path });
    }
  }
  return entries;
}

export interface NumstatEntry {
  /** null for binary files. */
  insertions: number | null;
  deletions: number | null;
  path: string;
}

/** `git diff --numstat -z --no-renames`: "ins\tdel\tpath\0". */
export function parseNumstatZ(output: string): NumstatEntry[] {
  return output
    .split('\0')
    .filter((record) => record.length > 0)
    .flatMap((record) => {
      const match = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(record);
      if (!match) {
        return [];
      }
      return [
        {
          insertions: match[1] === '-' ? null : Number(match[1]),
          deletions: match[2] === '-' ? null : Number(match[2]),
          path: match[3]!,
        },
      ];
    });
}

/** A line for `git update-index -z --index-info` that sets (or, for a deletion, removes) a path. */
export function indexInfoRecord(entry: RawEntry): string {
  if (entry.status === 'D') {
    return `0 ${'0'.repeat(entry.newSha.length)}\t${entry.path}\0`;
  }
  return `${entry.newMode} ${entry.newSha}\t${entry.path}\0`;
}
