import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLogOptions, AuditSink } from '@flagstate/audit';
import { type Clock, openDurableState, type StateStore } from '@flagstate/core';
import type { ContractSetup, DurableHarness } from '../setup.js';
import { providerHarness } from './provider-harness.js';

/** The audit files of a durable directory, oldest first: `audit.ndjson.N` … `.1`, `audit.ndjson`. */
export function durableAuditFiles(dir: string): string[] {
  const rotation = (name: string) =>
    name === 'audit.ndjson' ? 0 : Number(name.slice('audit.ndjson.'.length));
  return readdirSync(dir)
    .filter((name) => /^audit\.ndjson(\.\d+)?$/.test(name))
    .sort((a, b) => rotation(b) - rotation(a))
    .map((name) => join(dir, name));
}

async function open(
  dir: string,
  options: {
    readonly clock?: Clock | undefined;
    readonly enforcement?: 'audit' | 'enforce' | undefined;
    readonly wrapStore?: ((store: StateStore) => StateStore) | undefined;
    readonly sinks?: readonly AuditSink[] | undefined;
    readonly auditOptions?: Omit<AuditLogOptions, 'sinks'> | undefined;
  },
): Promise<DurableHarness> {
  const { durability: _durability, stream: _stream, ...log } = options.auditOptions ?? {};
  // Small files, so that the contracts cross rotations too.
  const state = openDurableState({ dir, maxBytes: 64 * 1024, sinks: options.sinks ?? [], ...log });
  const { clock, enforcement, wrapStore } = options;
  const harness = await providerHarness({
    audit: state.audit,
    store: state.store,
    wrapStore,
    clock,
    enforcement,
  });
  return {
    ...harness,
    audit: state.audit,
    auditFiles: () => durableAuditFiles(dir),
    flushSync: () => state.audit.flushSync(),
    async close() {
      await harness.close();
      await state.close();
    },
  };
}

/** The embedded durable setup: the provider on `openDurableState` (audit files + snapshot). */
export const durableProviderSetup: ContractSetup = {
  name: 'StateMachineProvider + durable state (audit files)',
  canHold: true,
  create: ({ wrapStore, clock, enforcement, sinks, auditOptions }) =>
    open(mkdtempSync(join(tmpdir(), 'flagstate-contract-durable-')), {
      wrapStore,
      clock,
      enforcement,
      sinks,
      auditOptions,
    }),
  restart: { open: (dir, options) => open(dir, options) },
};
