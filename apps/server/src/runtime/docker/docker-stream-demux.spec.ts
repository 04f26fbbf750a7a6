import { describe, expect, it } from 'vitest';
import { DockerStreamDemuxer, demuxBuffer, type DockerStreamId } from './docker-stream-demux';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('DockerStreamDemuxer', () => {
  it('separates stdout and stderr frames', () => {
    const result = demuxBuffer(
      Buffer.concat([frame(1, 'out1 '), frame(2, 'err'), frame(1, 'out2')]),
    );
    expect(result.stdout.toString()).toBe('out1 out2');
    expect(result.stderr.toString()).toBe('err');
    expect(result.combined.toString()).toBe('out1 errout2');
  });

  it('reassembles frames split at every possible byte boundary', () => {
    const whole = Buffer.concat([frame(1, 'hello'), frame(2, 'oops'), frame(1, 'world')]);
    for (let cut = 1; cut < whole.length; cut += 1) {
      const frames: Array<[DockerStreamId, string]> = [];
      const demuxer = new DockerStreamDemuxer((stream, payload) =>
        frames.push([stream, payload.toString()]),
      );
      demuxer.push(whole.subarray(0, cut));
      demuxer.push(whole.subarray(cut));
      expect(frames).toEqual([
        ['stdout', 'hello'],
        ['stderr', 'oops'],
        ['stdout', 'world'],
      ]);
      expect(demuxer.pendingBytes).toBe(0);
    }
  });

  it('keeps an incomplete frame until the rest arrives, one byte at a time', () => {
    const whole = frame(1, 'abc');
    const seen: string[] = [];
    const demuxer = new DockerStreamDemuxer((_stream, payload) => seen.push(payload.toString()));
    for (const byte of whole) {
      demuxer.push(Buffer.from([byte]));
    }
    expect(seen).toEqual(['abc']);
  });
});
