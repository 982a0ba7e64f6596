import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, verifyAudit } from '@flagstate/audit';
import { afterEach, describe, expect, it } from 'vitest';
import { runAuditConsumer } from '../src/consume.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('examples/audit-consumer', () => {
  it('sees every record in process and through flagstate tail --follow', async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagstate-audit-consumer-'));
    const file = join(dir, 'audit.ndjson');
    const result = await runAuditConsumer({ file });

    const records = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(result.fileLines).toBe(records.length);
    expect(records.map((r) => r.event.sequence)).toEqual(records.map((_, i) => i + 1));
    expect(verifyAudit(records).ok).toBe(true);

    // In process: every record written was seen, counted by action.
    expect(result.seen).toBe(records.length);
    expect(Object.fromEntries(result.counts)).toEqual({
      'state-init': 4,
      'state-transition': 4,
      'state-transition-illegal': 1,
      'audit-checkpoint': 1,
    });
    expect(result.alerts).toEqual([
      'state-transition-illegal: checkout: user-3 legacy -> v2 is not allowed (not_allowed)',
    ]);

    // The tail: one readable line per record, ended by SIGTERM with exit 0.
    expect(result.tailExit).toEqual({ code: 0, signal: null });
    expect(result.tailLines).toHaveLength(records.length);
    const time = String.raw`\d\d:\d\d:\d\d\.\d{3}`;
    expect(result.tailLines[0]).toMatch(new RegExp(`^${time} checkout user-1 → legacy \\(init\\)$`));
    expect(result.tailLines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${time} checkout user-1 legacy → canary \\(start-canary, [^)]+\\)$`),
      ),
    );
    expect(result.tailLines).toContainEqual(expect.stringMatching(/ user-1 canary → v2 \(promote, /));
    expect(result.tailLines).toContainEqual(expect.stringMatching(/ user-2 canary → legacy \(rollback, /));
    expect(result.tailLines).toContainEqual(
      expect.stringMatching(/ user-3 legacy → v2 .*\[state-transition-illegal: not_allowed\]$/),
    );
    expect(result.tailLines.at(-1)).toMatch(/checkpoint 10: 9 records, head [0-9a-f]{12} \(final\)$/);
  });
});
