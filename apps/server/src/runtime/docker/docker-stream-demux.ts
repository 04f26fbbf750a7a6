// Docker multiplexes stdout and stderr of a non-TTY container or exec on one connection: each
// frame is an 8-byte header (stream id in byte 0, payload length big-endian in bytes 4..7)
// followed by the payload. Frames may be split across chunks in any way.

export type DockerStreamId = 'stdout' | 'stderr';

const HEADER_BYTES = 8;

export class DockerStreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: DockerStreamId, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (buffer.length >= HEADER_BYTES) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < HEADER_BYTES + size) {
        break;
      }
      // Stream id 0 is stdin (never sent by the engine); treat anything but stderr as stdout.
      const stream: DockerStreamId = buffer[0] === 2 ? 'stderr' : 'stdout';
      const payload = buffer.subarray(HEADER_BYTES, HEADER_BYTES + size);
      buffer = buffer.subarray(HEADER_BYTES + size);
      if (payload.length > 0) {
        this.onFrame(stream, payload);
      }
    }
    // Copy so the retained remainder does not pin a large chunk.
    this.pending = buffer.length === 0 ? Buffer.alloc(0) : Buffer.from(buffer);
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pendingBytes(): number {
    return this.pending.length;
  }
}

/** Splits a complete multiplexed buffer (e.g. a non-following logs response). */
export function demuxBuffer(buffer: Buffer): { stdout: Buffer; stderr: Buffer; combined: Buffer } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const combined: Buffer[] = [];
  const demuxer = new DockerStreamDemuxer((stream, payload) => {
    (stream === 'stderr' ? stderr : stdout).push(payload);
    combined.push(payload);
  });
  demuxer.push(buffer);
  return {
    stdout: Buffer.concat(stdout),
    stderr: Buffer.concat(stderr),
    combined: Buffer.concat(combined),
  };
}
