import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAuditEntries, readAuditFiles, readAuditLines } from '@flagstate/audit';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './support/lifetimes.js';

const dir = scratchDir();
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readAuditLines', () => {
  it('yields each non-blank line with its file and number, across chunk boundaries', () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i * 7) }));
    const path = file(
      'chunks.ndjson',
      `${lines.slice(0, 20).join('\n')}\n\n  \r\n${lines.slice(20).join('\r\n')}`,
    );
    for (const chunkBytes of [1, 7, 64, 1 << 20]) {
      const read = [...readAuditLines([path], { chunkBytes })];
      expect(read.map((l) => l.text)).toEqual(lines);
      expect(read[20]).toEqual({ text: lines[20], file: path, line: 23 });
    }
  });

  it('gathers a line much longer than a chunk in linear time, and skips one past maxLineBytes', () => {
    const long = JSON.stringify({ big: 'y'.repeat(32 * 1024 * 1024) });
    const path = file('long.ndjson', `{"a":1}\n${long}\n{"b":2}\n${'z'.repeat(5000)}\n{"c":3}`);
    // 4 KiB chunks: gathering by re-copying would move ~128 GiB here; gathering once, 32 MiB.
    const read = [...readAuditLines([path], { chunkBytes: 4096 })];
    expect(read.map((l) => l.text.length)).toEqual([7, long.length, 7, 5000, 7]);
    const capped = [...readAuditLines([path], { chunkBytes: 4096, maxLineBytes: 4096 })];
    expect(capped.map((l) => [l.line, l.text, l.error])).toEqual([
      [1, '{"a":1}', undefined],
      [2, '', `line is ${long.length} bytes, longer than 4096: not read`],
      [3, '{"b":2}', undefined],
      [4, '', 'line is 5000 bytes, longer than 4096: not read'],
      [5, '{"c":3}', undefined],
    ]);
  }, 30_000);

  it('reads the files again on each iteration, and throws a Node error for a missing file when it gets there', () => {
    const a = file('a.ndjson', '{"n":1}\n');
    const lines = readAuditLines([a, join(dir, 'missing.ndjson')]);
    const it = lines[Symbol.iterator]();
    expect(it.next().value).toMatchObject({ text: '{"n":1}' });
    expect(() => it.next()).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect([...readAuditLines([a, a])]).toHaveLength(2);
  });
});

describe('readAuditEntries', () => {
  it('parses each line, and keeps the error of one that is not JSON', () => {
    const path = file('entries.ndjson', '{"n":1}\n{oops\n');
    expect([...readAuditEntries([path])]).toEqual([
      { record: { n: 1 }, file: path, line: 1 },
      { record: undefined, file: path, line: 2, error: expect.stringMatching(/^not JSON: /) },
    ]);
    expect(readAuditFiles([path])).toEqual([...readAuditEntries([path])]);
  });
});
