// Terminal output arrives from the pty in many small chunks; sending each as its own WebSocket
// frame costs a syscall and a client-side parse each. Chunks that arrive within the same tick
// of the event loop are merged into frames of at most `maxFrameBytes`. The merge never waits
// on a timer: pending output is flushed on setImmediate, i.e. as soon as the I/O that produced
// it has been handled, so interactive echo is not delayed.

export type Scheduler = (task: () => void) => void;

const immediate: Scheduler = (task) => {
  setImmediate(task);
};

export class OutputCoalescer {
  private chunks: Buffer[] = [];
  private size = 0;
  private scheduled = false;
  private disposed = false;
  private held = false;

  constructor(
    private readonly emit: (frame: Buffer) => void,
    private readonly maxFrameBytes: number,
    private readonly schedule: Scheduler = immediate,
  ) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1) {
      throw new RangeError('maxFrameBytes must be a positive integer');
    }
  }

  push(chunk: Buffer): void {
    if (this.disposed || chunk.length === 0) {
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.held) {
      return;
    }
    // Full frames go out at once; only the remainder waits for the end of the tick.
    while (!this.held && this.size >= this.maxFrameBytes) {
      this.emit(this.take(this.maxFrameBytes));
    }
    if (!this.held && this.size > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /**
   * While held, output accumulates instead of being sent (flow control paused the source, so
   * at most what was already in flight arrives). Releasing sends it on the next tick.
   */
  hold(held: boolean): void {
    this.held = held;
    if (!held && this.size > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Sends whatever is pending now (e.g. before an exit message, which must come after it). */
  flush(): void {
    while (!this.disposed && !this.held && this.size > 0) {
      this.emit(this.take(Math.min(this.size, this.maxFrameBytes)));
    }
  }

  /** Drops pending output; later pushes are ignored. */
  dispose(): void {
    this.disposed = true;
    this.chunks = [];
    this.size = 0;
  }

  get pendingBytes(): number {
    return this.size;
  }

  private take(bytes: number): Buffer {
    const first = this.chunks[0];
    // The common case: one chunk that fits in a frame is sent as is, without copying.
    if (first !== undefined && first.length === bytes) {
      this.chunks.shift();
      this.size -= bytes;
      return first;
    }
    const frame = Buffer.allocUnsafe(bytes);
    let offset = 0;
    while (offset < bytes) {
      const chunk = this.chunks[0];
      if (chunk === undefined) {
        break;
      }
      const needed = bytes - offset;
      if (chunk.length <= needed) {
        chunk.copy(frame, offset);
        offset += chunk.length;
        this.chunks.shift();
      } else {
        chunk.copy(frame, offset, 0, needed);
        offset += needed;
        this.chunks[0] = chunk.subarray(needed);
      }
    }
    this.size -= offset;
    return offset === bytes ? frame : frame.subarray(0, offset);
  }
}
