import { describe, expect, it } from 'vitest';
import { parseAgentArgs, UsageError } from './cli-args.js';

describe('parseAgentArgs', () => {
  it('parses each verb', () => {
    expect(parseAgentArgs(['run'])).toEqual({ verb: 'run' });
    expect(parseAgentArgs(['status', '--json'])).toEqual({ verb: 'status', json: true });
    expect(parseAgentArgs(['status'])).toEqual({ verb: 'status', json: false });
    expect(parseAgentArgs(['detach', 'web_1-A'])).toEqual({ verb: 'detach', clientId: 'web_1-A' });
    expect(parseAgentArgs([])).toEqual({ verb: 'help' });
    expect(parseAgentArgs(['--help'])).toEqual({ verb: 'help' });
    expect(parseAgentArgs(['flush'])).toEqual({ verb: 'flush' });
    expect(parseAgentArgs(['commit', '--json'])).toEqual({
      verb: 'commit',
      json: true,
      message: null,
    });
    expect(parseAgentArgs(['commit', '--message', 'fix: x', '--json'])).toEqual({
      verb: 'commit',
      json: true,
      message: 'fix: x',
    });
  });

  it('refuses a bad commit message', () => {
    expect(() => parseAgentArgs(['commit', '--message'])).toThrow(/non-empty/);
    expect(() => parseAgentArgs(['commit', '--message', '  '])).toThrow(/non-empty/);
    expect(() => parseAgentArgs(['commit', '--message', 'x'.repeat(8001)])).toThrow(/longer/);
    expect(() => parseAgentArgs(['commit', '--push'])).toThrow(/unexpected argument/);
    expect(() => parseAgentArgs(['flush', 'now'])).toThrow(/unexpected argument/);
  });

  it('refuses unknown verbs and stray arguments', () => {
    expect(() => parseAgentArgs(['start'])).toThrow(UsageError);
    expect(() => parseAgentArgs(['run', '--now'])).toThrow(/unexpected argument/);
    expect(() => parseAgentArgs(['status', '--yaml'])).toThrow(/unexpected argument/);
    expect(() => parseAgentArgs(['detach', 'a', 'b'])).toThrow(/unexpected argument/);
  });

  it('validates the client id of detach', () => {
    expect(() => parseAgentArgs(['detach'])).toThrow(/missing/);
    for (const bad of ['', '../x', 'a b', 'x'.repeat(65), '-;rm', 'é']) {
      expect(() => parseAgentArgs(['detach', bad]), bad).toThrow(UsageError);
    }
    expect(parseAgentArgs(['detach', 'x'.repeat(64)])).toEqual({
      verb: 'detach',
      clientId: 'x'.repeat(64),
    });
  });
});
