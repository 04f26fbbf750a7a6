// Claude Code's own settings, seeded so that `claude` opens straight at its prompt: no
// onboarding, no theme picker, no trust question for /workspace, no bypass-permissions
// warning. The files live in the per-user volume, so everything already there (a login,
// the user's own preferences, other projects) is kept: we only add or fix our keys.
import type { PermissionMode } from '@ccr/protocol/api';

export type JsonObject = Record<string, unknown>;

export interface ClaudeSeed {
  /** Installed Claude Code version, e.g. "2.1.330". */
  version: string;
  /** Directory Claude Code opens in; it is marked as trusted. */
  projectDir: string;
  permissionMode: PermissionMode | null;
  /**
   * Last 20 characters of ANTHROPIC_API_KEY when one is set: Claude Code asks whether to use a
   * key it finds in the environment and remembers the answer by this suffix.
   */
  apiKeySuffix: string | null;
}

/** The part of an API key Claude Code records when the user approves it. */
export function apiKeySuffix(apiKey: string | undefined): string | null {
  const key = apiKey?.trim();
  return key ? key.slice(-20) : null;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `.claude.json` (the global config in CLAUDE_CONFIG_DIR) with the first-run answers set. */
export function mergeClaudeGlobalConfig(existing: unknown, seed: ClaudeSeed): JsonObject {
  const config: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  config.hasCompletedOnboarding = true;
  config.lastOnboardingVersion = seed.version;
  // The release-notes screen appears when this lags behind the installed version.
  config.lastReleaseNotesSeen = seed.version;
  if (typeof config.theme !== 'string') {
    config.theme = 'dark';
  }
  config.autoUpdates = false;
  config.autoUpdaterStatus = 'disabled';
  if (seed.permissionMode === 'bypassPermissions') {
    config.bypassPermissionsModeAccepted = true;
  }

  if (seed.apiKeySuffix !== null) {
    const responses: JsonObject = isJsonObject(config.customApiKeyResponses)
      ? { ...config.customApiKeyResponses }
      : {};
    const approved = stringArray(responses.approved);
    responses.approved = approved.includes(seed.apiKeySuffix)
      ? approved
      : [...approved, seed.apiKeySuffix];
    responses.rejected = stringArray(responses.rejected).filter(
      (suffix) => suffix !== seed.apiKeySuffix,
    );
    config.customApiKeyResponses = responses;
  }

  const projects: JsonObject = isJsonObject(config.projects) ? { ...config.projects } : {};
  const previous = projects[seed.projectDir];
  const project: JsonObject = isJsonObject(previous) ? { ...previous } : {};
  project.hasTrustDialogAccepted = true;
  project.hasCompletedProjectOnboarding = true;
  project.projectOnboardingSeenCount = Math.max(1, numberOr(project.projectOnboardingSeenCount, 0));
  if (!Array.isArray(project.allowedTools)) {
    project.allowedTools = [];
  }
  projects[seed.projectDir] = project;
  config.projects = projects;
  return config;
}

/** `settings.json` (user settings in CLAUDE_CONFIG_DIR). */
export function mergeClaudeSettings(existing: unknown, seed: ClaudeSeed): JsonObject {
  const settings: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  // The image pins the version; an update inside a sandbox would be lost on the next start.
  settings.autoUpdates = false;
  const env: JsonObject = isJsonObject(settings.env) ? { ...settings.env } : {};
  env.DISABLE_AUTOUPDATER = '1';
  settings.env = env;
  if (seed.permissionMode === 'bypassPermissions') {
    settings.skipDangerousModePermissionPrompt = true;
  }
  settings.hooks = withStopHook(settings.hooks);
  return settings;
}

/** Run when a Claude turn ends: the agent commits that turn's changes with its prompt. */
export const FLUSH_HOOK_COMMAND = 'ccr-agent flush';

/** Adds our Stop hook once, keeping every hook the user has. */
export function withStopHook(existing: unknown): JsonObject {
  const hooks: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  const stop: unknown[] = Array.isArray(hooks.Stop) ? [...(hooks.Stop as unknown[])] : [];
  const registered = stop.some(
    (entry) =>
      isJsonObject(entry) &&
      Array.isArray(entry.hooks) &&
      (entry.hooks as unknown[]).some(
        (hook) => isJsonObject(hook) && hook.command === FLUSH_HOOK_COMMAND,
      ),
  );
  if (!registered) {
    stop.push({ hooks: [{ type: 'command', command: FLUSH_HOOK_COMMAND, timeout: 60 }] });
  }
  hooks.Stop = stop;
  return hooks;
}

/** Reads the version from `claude --version` output such as "2.1.330 (Claude Code)". */
export function parseClaudeVersion(output: string): string | null {
  const match = /(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)/.exec(output);
  return match?.[1] ?? null;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
