// Decides when a batch of file changes becomes a commit: whichever comes first of a quiet
// period (debounceMs), a maximum wait since the batch's first change (maxWaitMs), a number of
// distinct changed paths (maxFiles), or an explicit flush (a Claude turn ended). The clock is
// injected so the timing rules are tested exactly, without sleeping.

export interface BatchSettings {
  debounceMs: number;
  maxWaitMs: number;
  maxFiles: number;
}

export type FlushReason = 'quiet' | 'max-wait' | 'max-files' | 'flush';

export interface Batch {
  /** Distinct changed paths seen, at most maxFiles (a hint: git status is the truth). */
  paths: string[];
  reason: FlushReason;
  /** Set by flush(): the prompt of the Claude turn that just ended. */
  prompt: string | null;
  /** Clock time of the batch's first change; null for a flush with nothing seen. */
  firstChangeAt: number | null;
}

export interface BatchClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: BatchClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class CommitBatcher {
  private readonly paths = new Set<string>();
  private firstChangeAt: number | null = null;
  private debounceTimer: unknown = null;
  private maxWaitTimer: unknown = null;
  private settings: BatchSettings;

  constructor(
    settings: BatchSettings,
    private readonly onBatch: (batch: Batch) => void,
    private readonly clock: BatchClock = systemClock,
  ) {
    this.settings = { ...settings };
  }

  get pending(): number {
    return this.paths.size;
  }

  /** Records a changed path; may end the batch at once when maxFiles is reached. */
  add(path: string): void {
    if (this.firstChangeAt === null) {
      this.firstChangeAt = this.clock.now();
      this.maxWaitTimer = this.clock.setTimeout(
        () => this.emit('max-wait', null),
        this.settings.maxWaitMs,
      );
    }
    this.paths.add(path);
    if (this.paths.size >= this.settings.maxFiles) {
      this.emit('max-files', null);
      return;
    }
    this.clearDebounce();
    this.debounceTimer = this.clock.setTimeout(
      () => this.emit('quiet', null),
      this.settings.debounceMs,
    );
  }

  /** Ends the batch now, even an empty one: a finished turn may have changes no event showed. */
  flush(prompt: string | null = null): void {
    this.emit('flush', prompt);
  }

  /** New settings apply to the batch in progress, measured from its first change. */
  update(settings: BatchSettings): void {
    this.settings = { ...settings };
    if (this.firstChangeAt === null) {
      return;
    }
    if (this.paths.size >= this.settings.maxFiles) {
      this.emit('max-files', null);
      return;
    }
    this.clock.clearTimeout(this.maxWaitTimer);
    const left = Math.max(0, this.firstChangeAt + this.settings.maxWaitMs - this.clock.now());
    this.maxWaitTimer = this.clock.setTimeout(() => this.emit('max-wait', null), left);
    this.clearDebounce();
    this.debounceTimer = this.clock.setTimeout(
      () => this.emit('quiet', null),
      this.settings.debounceMs,
    );
  }

  dispose(): void {
    this.reset();
  }

  private emit(reason: FlushReason, prompt: string | null): void {
    const paths = [...this.paths];
    const firstChangeAt = this.firstChangeAt;
    this.reset();
    this.onBatch({ paths, reason, prompt, firstChangeAt });
  }

  private clearDebounce(): void {
    if (this.debounceTimer !== null) {
      this.clock.clearTimeout(this.debounceTimer);
      this.debounceTimer = null;
    }
  }

  private reset(): void {
    this.clearDebounce();
    if (this.maxWaitTimer !== null) {
      this.clock.clearTimeout(this.maxWaitTimer);
      this.maxWaitTimer = null;
    }
    this.paths.clear();
    this.firstChangeAt = null;
  }
}
