import { describe, expect, it } from 'vitest';
import { demuxLogs } from './container.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

describe('container log demultiplexing (Docker Engine API, non-TTY logs)', () => {
  it('joins stdout and stderr frames in order without their headers', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'one\n'), frame(2, 'two\n'), frame(1, 'three')]))).toBe('one\ntwo\nthree');
  });

  it('returns text that is not framed (TTY logs) as it is', () => {
    expect(demuxLogs(Buffer.from('NOTICE plain tty output\n'))).toBe('NOTICE plain tty output\n');
  });
});
