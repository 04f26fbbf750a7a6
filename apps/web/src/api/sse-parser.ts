export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Incremental parser of the text/event-stream format (WHATWG HTML, "server-sent events"):
 * feed it decoded text as it arrives, get back every message completed so far. Chunks may
 * split lines and line endings anywhere.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** Last `id:` seen, kept across messages as the spec's "last event ID buffer". */
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for with `retry:`. */
  retryMs: number | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) {
        break;
      }
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) {
        break;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) {
        messages.push(message);
      }
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.id = value;
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.retryMs = Number(value);
        }
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const message: SseMessage = {
      id: this.id,
      event: this.event || 'message',
      data: data.join('\n'),
    };
    this.data = [];
    this.event = '';
    this.id = undefined;
    return data.length === 0 ? undefined : message;
  }
}
