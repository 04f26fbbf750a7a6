import { describe, expect, it } from 'vitest';
import { indexInfoRecord, parseNumstatZ, parseRawZ, parseStatusZ } from './git-output.js';

const sha = (c: string): string => c.repeat(40);

describe('git -z output', () => {
  it('parses status with odd names', () => {
    expect(parseStatusZ('?? a b.ts\0 M src/x\ny.ts\0A  .env\0')).toEqual([
      { code: '??', path: 'a b.ts' },
      { code: ' M', path: 'src/x\ny.ts' },
      { code: 'A ', path: '.env' },
    ]);
    expect(parseStatusZ('')).toEqual([]);
  });

  it('parses raw diff entries', () => {
    const raw = `:000000 100644 ${sha('0')} ${sha('a')} A\0new.ts\0:100644 000000 ${sha('b')} ${sha('0')} D\0old.ts\0`;
    expect(parseRawZ(raw)).toEqual([
      { newMode: '100644', newSha: sha('a'), status: 'A', path: 'new.ts' },
      { newMode: '000000', newSha: sha('0'), status: 'D', path: 'old.ts' },
    ]);
  });

  it('parses numstat including binary files', () => {
    expect(parseNumstatZ('3\t1\tsrc/a.ts\0-\t-\tlogo.png\0')).toEqual([
      { insertions: 3, deletions: 1, path: 'src/a.ts' },
      { insertions: null, deletions: null, path: 'logo.png' },
    ]);
  });

  it('writes index-info records that set or remove a path', () => {
    expect(
      indexInfoRecord({ newMode: '100755', newSha: sha('a'), status: 'M', path: 'run.sh' }),
    ).toBe(`100755 ${sha('a')}\trun.sh\0`);
    expect(indexInfoRecord({ newMode: '000000', newSha: sha('0'), status: 'D', path: 'x' })).toBe(
      `0 ${sha('0')}\tx\0`,
    );
  });
});
