import { readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditLog, memorySink } from '@flagstate/audit';
import {
  FLAG_DOCUMENT_LIMITS,
  FlagDocumentError,
  FlagDocumentReadError,
  fileSource,
  StateMachineProvider,
} from '@flagstate/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from './fixtures/run-cli.js';
import { hostileDocuments } from './hostile-documents/expectations.js';

const DOCUMENTS = fileURLToPath(new URL('./hostile-documents/documents/', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.remove());

interface ProviderVerdict {
  readonly error?: unknown;
  readonly states?: Record<string, readonly string[]>;
}

/** What the provider makes of a file: initialised from a fileSource, as an application does. */
async function providerVerdict(path: string): Promise<ProviderVerdict> {
  const provider = new StateMachineProvider({
    source: fileSource(path),
    audit: createAuditLog({ sinks: [memorySink()] }),
  });
  try {
    await provider.initialize();
    const machines = [...provider.document!.machines];
    return { states: Object.fromEntries(machines.map((m) => [m.id, m.stateNames])) };
  } catch (error) {
    return { error };
  } finally {
    await provider.onClose();
  }
}

interface CliVerdict {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `flagstate validate` on every path, one process per CPU at a time. */
async function validateAll(paths: readonly string[]): Promise<Map<string, CliVerdict>> {
  const results = new Map<string, CliVerdict>();
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const cli = spawnCli(['validate', path]);
      const { code } = await cli.exited(30_000);
      results.set(path, { code, stdout: cli.stdout(), stderr: cli.stderr() });
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  return results;
}

/** `3:7 path: message` -> the provider's line, and the position the issue carries. */
function parseProblem(problem: string) {
  const m = /^(\d+):(\d+) (.*)$/s.exec(problem);
  return m ? { text: m[3]!, line: Number(m[1]), column: Number(m[2]) } : { text: problem };
}

// Documents at the size limit are made here rather than kept in the repository.
const MAX = FLAG_DOCUMENT_LIMITS.maxBytes;
const sized = (name: string, bytes: number) => {
  const head = '{"flags":{},"metadata":{"padding":"';
  const tail = '"}}\n';
  writeFileSync(tmp.path(name), head + 'x'.repeat(bytes - head.length - tail.length) + tail);
};
const sizeCases = [
  { name: 'at-size-limit.json', bytes: MAX, refused: undefined },
  {
    name: 'one-byte-over-size-limit.json',
    bytes: MAX + 1,
    refused: 'the file is 4194305 bytes, over the 4194304-byte (4.0 MiB) limit (maxBytes)',
  },
  {
    name: 'ten-megabytes.json',
    bytes: 10_000_000,
    refused: 'the file is 9.5 MiB, over the 4.0 MiB limit (maxBytes)',
  },
];

const pathOf = (file: string) => join(DOCUMENTS, file);
let cli: Map<string, CliVerdict>;
beforeAll(async () => {
  for (const c of sizeCases) sized(c.name, c.bytes);
  cli = await validateAll([
    ...hostileDocuments.map((d) => pathOf(d.file)),
    ...sizeCases.map((c) => tmp.path(c.name)),
  ]);
}, 120_000);

describe('hostile flag documents: the provider and flagstate validate agree', { timeout: 30_000 }, () => {
  it('keeps at least 40 documents, every file with its expectation', () => {
    const files = readdirSync(DOCUMENTS).sort();
    expect(hostileDocuments.map((d) => d.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(hostileDocuments.map((d) => [d.file, d.tries, d] as const))(
    '%s: %s',
    async (file, _tries, expected) => {
      const path = pathOf(file);
      const provider = await providerVerdict(path);
      const validate = cli.get(path)!;
      if (expected.ok) {
        expect(provider.error).toBeUndefined();
        if (expected.ok.states) expect(provider.states).toEqual(expected.ok.states);
        expect(validate).toEqual({ code: 0, stdout: `${path}: ok — ${expected.ok.summary}\n`, stderr: '' });
        return;
      }
      const problems = (expected.problems ?? []).map(parseProblem);
      expect(provider.error).toBeInstanceOf(FlagDocumentError);
      const error = provider.error as FlagDocumentError;
      const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
      expect(error.message).toBe(
        `${path}: invalid flag document (${count}):\n${problems.map((p) => `  ${p.text}`).join('\n')}`,
      );
      expect(error.issues.map((i) => [i.line, i.column])).toEqual(problems.map((p) => [p.line, p.column]));
      const printed = problems.map((p) =>
        p.line === undefined ? `${path}: ${p.text}` : `${path}:${p.line}:${p.column}: ${p.text}`,
      );
      expect(validate).toEqual({ code: 1, stdout: `${printed.join('\n')}\n`, stderr: '' });
    },
  );

  it.each(sizeCases.map((c) => [c.name, c] as const))('%s: the same size limit in both', async (name, c) => {
    const path = tmp.path(name);
    const provider = await providerVerdict(path);
    const validate = cli.get(path)!;
    if (c.refused === undefined) {
      expect(provider.error).toBeUndefined();
      expect(validate).toEqual({ code: 0, stdout: `${path}: ok — 0 machines, 0 flags\n`, stderr: '' });
      return;
    }
    expect(provider.error).toBeInstanceOf(FlagDocumentReadError);
    expect(provider.error).toMatchObject({
      code: 'FLAG_DOCUMENT_TOO_LARGE',
      message: `${path}: ${c.refused}`,
    });
    expect(validate).toEqual({ code: 1, stdout: `${path}: ${c.refused}\n`, stderr: '' });
  });
});
