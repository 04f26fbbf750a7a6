import { describe, expect, it } from 'vitest';
import {
  AgentConfigError,
  DEFAULT_AUTO_COMMIT_SETTINGS,
  DEFAULT_GIT_EMAIL,
  loadAgentConfig,
} from './agent-config.js';

describe('loadAgentConfig', () => {
  it('reads every variable', () => {
    const config = loadAgentConfig({
      CCR_SESSION_ID: 's1',
      CCR_SESSION_NAME: 'fix-login',
      CCR_REPO_URL: 'https://git.example.test/team/app.git',
      CCR_BRANCH: 'develop',
      CCR_WORK_BRANCH: 'ccr/fix-login',
      CCR_GIT_NAME: 'Ada Lovelace',
      CCR_GIT_EMAIL: 'ada@example.test',
      CCR_CLAUDE_PERMISSION_MODE: 'acceptEdits',
      CCR_CLAUDE_MODEL: 'claude-sonnet-4-5',
      CCR_AUTO_COMMIT: 'false',
      CCR_AUTO_COMMIT_DEBOUNCE_MS: '0',
      CCR_AUTO_COMMIT_MAX_WAIT_MS: '60000',
      CCR_AUTO_COMMIT_MAX_FILES: '25',
    });
    expect(config).toEqual({
      sessionId: 's1',
      sessionName: 'fix-login',
      repoUrl: 'https://git.example.test/team/app.git',
      branch: 'develop',
      workBranch: 'ccr/fix-login',
      gitName: 'Ada Lovelace',
      gitEmail: 'ada@example.test',
      permissionMode: 'acceptEdits',
      model: 'claude-sonnet-4-5',
      autoCommit: { enabled: false, debounceMs: 0, maxWaitMs: 60_000, maxFiles: 25 },
    });
  });

  it('defaults auto-commit to the server defaults and refuses bad values', () => {
    expect(loadAgentConfig({}).autoCommit).toEqual(DEFAULT_AUTO_COMMIT_SETTINGS);
    expect(() =>
      loadAgentConfig({
        CCR_AUTO_COMMIT: 'yes',
        CCR_AUTO_COMMIT_DEBOUNCE_MS: '-1',
        CCR_AUTO_COMMIT_MAX_WAIT_MS: '999',
        CCR_AUTO_COMMIT_MAX_FILES: '0',
      }),
    ).toThrow(
      /CCR_AUTO_COMMIT must be true or false.*CCR_AUTO_COMMIT_DEBOUNCE_MS.*CCR_AUTO_COMMIT_MAX_WAIT_MS.*CCR_AUTO_COMMIT_MAX_FILES/,
    );
  });

  it('treats empty values as absent and fills defaults', () => {
    const config = loadAgentConfig({
      CCR_REPO_URL: '',
      CCR_SESSION_NAME: 'demo',
      CCR_CLAUDE_MODEL: '  ',
    });
    expect(config.repoUrl).toBeNull();
    expect(config.branch).toBeNull();
    expect(config.workBranch).toBe('ccr/demo');
    expect(config.gitEmail).toBe(DEFAULT_GIT_EMAIL);
    expect(config.permissionMode).toBeNull();
    expect(config.model).toBeNull();
  });

  it('refuses dangerous or malformed values, naming each variable', () => {
    let error: unknown;
    try {
      loadAgentConfig({
        CCR_REPO_URL: 'ext::sh -c touch% /tmp/pwned',
        CCR_BRANCH: '-x',
        CCR_WORK_BRANCH: 'ccr/a..b',
        CCR_GIT_EMAIL: 'nope',
        CCR_CLAUDE_PERMISSION_MODE: 'yolo',
        CCR_CLAUDE_MODEL: 'a b',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AgentConfigError);
    const message = (error as Error).message;
    for (const name of [
      'CCR_REPO_URL',
      'CCR_BRANCH',
      'CCR_WORK_BRANCH',
      'CCR_GIT_EMAIL',
      'CCR_CLAUDE_PERMISSION_MODE',
      'CCR_CLAUDE_MODEL',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('refuses file URLs and credentials in the repository URL', () => {
    expect(() => loadAgentConfig({ CCR_REPO_URL: 'file:///etc' })).toThrow(/CCR_REPO_URL/);
    expect(() => loadAgentConfig({ CCR_REPO_URL: 'https://u:p@host.test/r.git' })).toThrow(
      /credentials/,
    );
  });
});
