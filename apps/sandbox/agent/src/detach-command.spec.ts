import { describe, expect, it } from 'vitest';
import { isTmuxClientCmdline, parsePidFile } from './detach-command.js';

describe('parsePidFile', () => {
  it('accepts a plain pid with a newline', () => {
    expect(parsePidFile('1234\n')).toBe(1234);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '0', '-1', '12a', '1 2', '99999999999', '1;kill']) {
      expect(parsePidFile(bad), bad).toBeNull();
    }
  });
});

describe('isTmuxClientCmdline', () => {
  it('recognises tmux by its program name', () => {
    expect(isTmuxClientCmdline('tmux\0attach-session\0-t\0shell\0')).toBe(true);
    expect(isTmuxClientCmdline('/usr/bin/tmux\0attach-session\0')).toBe(true);
  });

  it('refuses other programs that happen to reuse the pid', () => {
    expect(isTmuxClientCmdline('bash\0-l\0')).toBe(false);
    expect(isTmuxClientCmdline('/usr/bin/notmux\0')).toBe(false);
    expect(isTmuxClientCmdline('')).toBe(false);
  });
});
