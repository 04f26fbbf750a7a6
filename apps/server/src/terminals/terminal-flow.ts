// Output flow control of one terminal socket (DESIGN section 5), as a pure state machine.
// Two independent reasons to pause the exec stream:
//  (a) the socket's send queue: bytes handed to ws.send whose write has not completed. A client
//      (or network) slower than the pty would otherwise grow server memory without bound.
//  (b) for acking clients, output sent but not yet acknowledged as processed by the client's
//      terminal. The socket can drain into the client's buffers far faster than its terminal
//      parses, so (a) alone lets megabytes pile up client-side and Ctrl-C takes seconds to show.
// Each has a high mark (pause above) and a low mark (resume at or below) so the stream does not
// flap on every frame. The stream runs only while neither reason holds.

export interface FlowMarks {
  socketHighBytes: number;
  socketLowBytes: number;
  ackHighBytes: number;
  ackLowBytes: number;
}

export type FlowListener = (paused: boolean) => void;

export class TerminalFlow {
  private queued = 0;
  private unacked = 0;
  private acking = false;
  private paused = false;
  private peakUnacked = 0;

  constructor(
    private readonly marks: FlowMarks,
    private readonly onChange: FlowListener,
  ) {
    if (marks.socketLowBytes > marks.socketHighBytes || marks.ackLowBytes > marks.ackHighBytes) {
      throw new RangeError('a low mark must not exceed its high mark');
    }
  }

  /** A frame of `bytes` was handed to the socket. */
  sent(bytes: number): void {
    this.queued += bytes;
    // Counted from the start, acking or not: a client's first ack covers everything it has
    // processed since the connection opened.
    this.unacked += bytes;
    this.peakUnacked = Math.max(this.peakUnacked, this.unacked);
    this.update();
  }

  /** The socket finished writing a frame of `bytes` (its send callback fired). */
  written(bytes: number): void {
    this.queued = Math.max(0, this.queued - bytes);
    this.update();
  }

  /** The client acknowledged `bytes` as processed; the first ack opts the client in. */
  ack(bytes: number): void {
    this.acking = true;
    this.unacked = Math.max(0, this.unacked - bytes);
    this.update();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isAcking(): boolean {
    return this.acking;
  }

  get queuedBytes(): number {
    return this.queued;
  }

  get unackedBytes(): number {
    return this.unacked;
  }

  get peakUnackedBytes(): number {
    return this.peakUnacked;
  }

  private update(): void {
    const { socketHighBytes, socketLowBytes, ackHighBytes, ackLowBytes } = this.marks;
    if (!this.paused) {
      if (this.queued > socketHighBytes || (this.acking && this.unacked > ackHighBytes)) {
        this.paused = true;
        this.onChange(true);
      }
      return;
    }
    if (this.queued <= socketLowBytes && (!this.acking || this.unacked <= ackLowBytes)) {
      this.paused = false;
      this.onChange(false);
    }
  }
}
