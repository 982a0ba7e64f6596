import {
  type AuditLog,
  type AuditLogOptions,
  type AuditRecord,
  createAuditLog,
  memorySink,
} from '@flagstate/audit';
import type { ContractSetup, Harness, SetupOptions } from './setup.js';

/** A harness with an audit log kept in memory, and the records it wrote so far. */
export interface Run extends Harness {
  readonly audit: AuditLog;
  /** Every record the log has written, once flushed. */
  records(): Promise<AuditRecord[]>;
  /** Only the state records (no checkpoints). */
  stateRecords(): Promise<AuditRecord[]>;
  /** The NDJSON lines written, once flushed. */
  lines(): Promise<string[]>;
}

export async function startRun(
  setup: ContractSetup,
  options: Omit<SetupOptions, 'audit'> = {},
  auditOptions: AuditLogOptions = {},
): Promise<Run> {
  const sink = memorySink();
  const own = { checkpointEvery: 500, ...auditOptions };
  const created = createAuditLog({ sinks: [sink], ...own });
  const harness = await setup.create({ ...options, audit: created, sinks: [sink], auditOptions: own });
  // A setup with its own log writes to the same sink; the one made here then writes nothing.
  const audit = harness.audit ?? created;
  const records = async () => {
    await audit.flush();
    return [...sink.records];
  };
  return {
    ...harness,
    audit,
    records,
    stateRecords: async () => (await records()).filter((r) => r.state_change !== undefined),
    lines: async () => {
      await audit.flush();
      return [...sink.lines];
    },
    async close() {
      await harness.close();
      await audit.close();
      await created.close();
    },
  };
}

/**
 * Runs `body` against a fresh run of `setup`, then closes it. A failure of the body is the one
 * reported: a close that fails after it (a store already broken, say) must not hide it.
 */
export async function withRun<T>(
  setup: ContractSetup,
  options: Omit<SetupOptions, 'audit'>,
  body: (run: Run) => Promise<T>,
  auditOptions: AuditLogOptions = {},
): Promise<T> {
  const run = await startRun(setup, options, auditOptions);
  let result: T;
  try {
    result = await body(run);
  } catch (error) {
    await run.close().catch(() => undefined);
    throw error;
  }
  await run.close();
  return result;
}

/** A deterministic random sequence, so that a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Versions per subject, in record order: each must read 1, 2, 3… */
export function versionsBySubject(records: readonly AuditRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of records) {
    if (!r.state_change || r.event.action === 'state-race') continue;
    const key = `${r.state_change.machine}\u0000${r.state_change.subject}`;
    out.set(key, [...(out.get(key) ?? []), r.state_change.subject_version]);
  }
  return out;
}
