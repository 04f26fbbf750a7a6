import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses id and data of a message, keeping the last event id', () => {
    const parser = new SseParser();
    const messages = parser.push('id: 7\ndata: {"a":1}\n\n');
    expect(messages).toEqual([{ id: '7', event: 'message', data: '{"a":1}' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('joins a message split across chunks anywhere, including inside \\r\\n', () => {
    const parser = new SseParser();
    const text = 'id: 1\r\ndata: hello\r\n\r\nid: 2\r\ndata: world\r\n\r\n';
    const messages = [];
    for (const char of text) {
      messages.push(...parser.push(char));
    }
    expect(messages.map((m) => [m.id, m.data])).toEqual([
      ['1', 'hello'],
      ['2', 'world'],
    ]);
  });

  it('joins multi-line data, ignores comments and reads retry', () => {
    const parser = new SseParser();
    const messages = parser.push(': heartbeat\n\nretry: 3000\ndata: a\ndata: b\n\n');
    expect(messages).toEqual([{ id: undefined, event: 'message', data: 'a\nb' }]);
    expect(parser.retryMs).toBe(3000);
  });

  it('dispatches nothing for a blank message and nothing before the blank line', () => {
    const parser = new SseParser();
    expect(parser.push('\n\n')).toEqual([]);
    expect(parser.push('data: pending\n')).toEqual([]);
    expect(parser.push('\n')).toHaveLength(1);
  });
});
