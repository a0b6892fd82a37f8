import { ReadBuffer } from '@modelcontextprotocol/sdk/shared/stdio.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../src/connect/line-buffer.js';

/** Every message (or the error) a reader gives for a stream cut into the given chunks. */
function readAll(
  reader: { append(chunk: Buffer): void; readMessage(): unknown },
  chunks: Buffer[],
): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunks) {
    try {
      reader.append(chunk);
    } catch {
      out.push('limit');
      return out;
    }
    for (;;) {
      let message: unknown;
      try {
        message = reader.readMessage();
      } catch {
        out.push('not JSON-RPC');
        return out;
      }
      if (message === null) break;
      out.push(message);
    }
  }
  return out;
}

const cut = (bytes: Buffer, at: number[]) => {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
};

describe('the stdio line buffer', () => {
  it('reads what the SDK reader reads, however the stream is cut, within the same limit', () => {
    const message = fc.oneof(
      fc.record({
        jsonrpc: fc.constant('2.0'),
        id: fc.nat(),
        result: fc.dictionary(fc.string(), fc.string()),
      }),
      fc.record({ jsonrpc: fc.constant('2.0'), method: fc.string(), params: fc.constant({ é: 'ü😀' }) }),
      fc.record({ jsonrpc: fc.constant('1.0'), id: fc.nat(), result: fc.constant({}) }),
    );
    const line = fc.oneof(
      message.map((m) => JSON.stringify(m)),
      fc.constantFrom('', 'not json', '{"jsonrpc":"2.0","id":1,"result":{}}\r'),
    );
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 20, max: 400 }),
        (lines, at, limit) => {
          const bytes = Buffer.from(lines.join('\n') + '\n');
          const chunks = cut(bytes, at);
          expect(readAll(new LineBuffer(limit), chunks)).toEqual(
            readAll(new ReadBuffer({ maxBufferSize: limit }), chunks),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a character split between chunks whole', () => {
    const bytes = Buffer.from('{"jsonrpc":"2.0","id":1,"result":{"t":"😀"}}\n');
    const at = bytes.indexOf(Buffer.from('😀')) + 2;
    expect(readAll(new LineBuffer(1000), [bytes.subarray(0, at), bytes.subarray(at)])).toEqual([
      { jsonrpc: '2.0', id: 1, result: { t: '😀' } },
    ]);
  });

  it('reads a message of megabytes sent in small chunks', () => {
    const text = 'x'.repeat(8 * 1024 * 1024);
    const bytes = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text } }) + '\n');
    const chunks = cut(
      bytes,
      Array.from({ length: bytes.length / 65536 }, (_, i) => i * 65536),
    );
    const [message] = readAll(new LineBuffer(16 * 1024 * 1024), chunks) as { result: { text: string } }[];
    expect(message!.result.text.length).toBe(text.length);
  });
});
