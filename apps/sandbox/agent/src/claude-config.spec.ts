import { describe, expect, it } from 'vitest';
import {
  apiKeySuffix,
  FLUSH_HOOK_COMMAND,
  withStopHook,
  mergeClaudeGlobalConfig,
  mergeClaudeSettings,
  parseClaudeVersion,
  type ClaudeSeed,
} from './claude-config.js';

const seed: ClaudeSeed = {
  version: '2.1.330',
  projectDir: '/workspace',
  permissionMode: null,
  apiKeySuffix: null,
};

describe('mergeClaudeGlobalConfig', () => {
  it('answers every first-run question on an empty config', () => {
    const config = mergeClaudeGlobalConfig(undefined, seed);
    expect(config).toMatchObject({
      hasCompletedOnboarding: true,
      lastOnboardingVersion: '2.1.330',
      theme: 'dark',
      autoUpdates: false,
      projects: {
        '/workspace': { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true },
      },
    });
    expect(config.bypassPermissionsModeAccepted).toBeUndefined();
  });

  it('keeps a login, the user theme and other projects', () => {
    const existing = {
      oauthAccount: { emailAddress: 'ada@example.test' },
      userID: 'abc',
      theme: 'light',
      projects: {
        '/elsewhere': { hasTrustDialogAccepted: false },
        '/workspace': { allowedTools: ['Bash(ls)'], history: [{ display: 'hi' }] },
      },
    };
    const config = mergeClaudeGlobalConfig(existing, seed);
    expect(config.oauthAccount).toEqual({ emailAddress: 'ada@example.test' });
    expect(config.userID).toBe('abc');
    expect(config.theme).toBe('light');
    const projects = config.projects as Record<string, Record<string, unknown>>;
    expect(projects['/elsewhere']).toEqual({ hasTrustDialogAccepted: false });
    expect(projects['/workspace']).toMatchObject({
      allowedTools: ['Bash(ls)'],
      history: [{ display: 'hi' }],
      hasTrustDialogAccepted: true,
    });
    // The input is not mutated.
    expect(existing.projects['/workspace']).toEqual({
      allowedTools: ['Bash(ls)'],
      history: [{ display: 'hi' }],
    });
  });

  it('replaces values of the wrong shape', () => {
    const config = mergeClaudeGlobalConfig({ projects: 'nonsense', theme: 3 }, seed);
    expect(config.theme).toBe('dark');
    expect((config.projects as Record<string, unknown>)['/workspace']).toBeTruthy();
    expect(mergeClaudeGlobalConfig([1, 2], seed).hasCompletedOnboarding).toBe(true);
  });

  it('accepts the bypass-permissions warning only in that mode', () => {
    const config = mergeClaudeGlobalConfig({}, { ...seed, permissionMode: 'bypassPermissions' });
    expect(config.bypassPermissionsModeAccepted).toBe(true);
  });

  it('approves the API key from the environment by its suffix, once', () => {
    const suffix = apiKeySuffix('sk-ant-test-0123456789abcdefghijklmnop');
    expect(suffix).toBe('6789abcdefghijklmnop');
    const config = mergeClaudeGlobalConfig(
      { customApiKeyResponses: { approved: ['other'], rejected: ['6789abcdefghijklmnop'] } },
      { ...seed, apiKeySuffix: suffix },
    );
    expect(config.customApiKeyResponses).toEqual({
      approved: ['other', '6789abcdefghijklmnop'],
      rejected: [],
    });
    expect(mergeClaudeGlobalConfig(config, { ...seed, apiKeySuffix: suffix })).toEqual(config);
    expect(apiKeySuffix(undefined)).toBeNull();
    expect(apiKeySuffix('  ')).toBeNull();
  });

  it('is idempotent', () => {
    const once = mergeClaudeGlobalConfig({ userID: 'x' }, seed);
    expect(mergeClaudeGlobalConfig(once, seed)).toEqual(once);
  });
});

describe('mergeClaudeSettings', () => {
  it('turns the auto-updater off and keeps other settings', () => {
    const settings = mergeClaudeSettings({ model: 'opus', env: { FOO: '1' } }, seed);
    expect(settings).toEqual({
      model: 'opus',
      autoUpdates: false,
      env: { FOO: '1', DISABLE_AUTOUPDATER: '1' },
      hooks: { Stop: [{ hooks: [{ type: 'command', command: FLUSH_HOOK_COMMAND, timeout: 60 }] }] },
    });
  });

  it('skips the bypass-permissions prompt only in that mode', () => {
    expect(mergeClaudeSettings({}, seed).skipDangerousModePermissionPrompt).toBeUndefined();
    expect(
      mergeClaudeSettings({}, { ...seed, permissionMode: 'bypassPermissions' })
        .skipDangerousModePermissionPrompt,
    ).toBe(true);
  });
});

describe('parseClaudeVersion', () => {
  it('reads the version from claude --version', () => {
    expect(parseClaudeVersion('2.1.330 (Claude Code)\n')).toBe('2.1.330');
    expect(parseClaudeVersion('2.1.330')).toBe('2.1.330');
    expect(parseClaudeVersion('garbage')).toBeNull();
  });
});

describe('withStopHook', () => {
  it('registers the flush hook once and keeps the user hooks', () => {
    const userHook = { hooks: [{ type: 'command', command: 'notify-send done' }] };
    const hooks = withStopHook({ PreToolUse: [{ matcher: 'Bash', hooks: [] }], Stop: [userHook] });
    expect(hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [] }]);
    expect(hooks.Stop).toEqual([
      userHook,
      { hooks: [{ type: 'command', command: FLUSH_HOOK_COMMAND, timeout: 60 }] },
    ]);
    expect(withStopHook(hooks)).toEqual(hooks);
  });

  it('is part of the merged settings', () => {
    const settings = mergeClaudeSettings({ hooks: 'garbage' }, seed);
    expect(settings.hooks).toEqual({
      Stop: [{ hooks: [{ type: 'command', command: 'ccr-agent flush', timeout: 60 }] }],
    });
  });
});
