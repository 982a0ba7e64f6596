import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fileChunks } from '../src/internal/file-chunks.js';
import { tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('fileChunks', () => {
  it('cuts files into whole lines, numbered, whatever the chunk size, and skips lines past the limit unread', () => {
    const lineOf = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ minLength: 30, maxLength: 90 }));
    fc.assert(
      fc.property(
        fc.array(
          lineOf.map((l) => l.replaceAll('\n', ' ')),
          { maxLength: 30 },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        (lines, endsWithNewline, chunkBytes) => {
          const path = tmp.path('chunks.ndjson');
          const text = lines.join('\n') + (endsWithNewline && lines.length > 0 ? '\n' : '');
          writeFileSync(path, text);
          const limit = 50;
          const read: (string | number)[] = [];
          let next = 1;
          for (const chunk of fileChunks([path], chunkBytes, limit)) {
            expect(chunk.firstLine).toBe(next);
            if (chunk.tooLong !== undefined) {
              read.push(chunk.tooLong);
              next++;
              continue;
            }
            const got = Buffer.from(chunk.bytes).toString('utf8').split('\n');
            if (got.at(-1) === '') got.pop();
            read.push(...got);
            next += got.length;
          }
          const expected = (text === '' ? [] : text.replace(/\n$/, '').split('\n')).map((l) =>
            Buffer.byteLength(l) > limit ? Buffer.byteLength(l) : l,
          );
          expect(read).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
