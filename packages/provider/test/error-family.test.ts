import { AuditLogClosedError, createAuditLog, memorySink } from '@flagstate/audit';
import {
  FlagstateError,
  LruStateStore,
  MachineDefinitionError,
  parseMachines,
  StoreFullError,
  stateRecord,
} from '@flagstate/core';
import { FlagDocument, FlagDocumentError, FlagDocumentReadError, fileSource } from '@flagstate/provider';
import { describe, expect, it } from 'vitest';

/** The error a call throws or rejects with. */
async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('one error family', () => {
  it('every error is a FlagstateError with its class name, an UPPER_SNAKE_CASE code, and the cause kept', async () => {
    const full = new LruStateStore({ maxSubjects: 1, whenFull: 'refuse' });
    full.compareAndSet('m', 'a', 0, stateRecord('s', 1, 1, 0, undefined, false));
    const log = createAuditLog({ sinks: [memorySink()] });
    await log.close();
    const errors = [
      [
        StoreFullError,
        await caught(() => full.compareAndSet('m', 'b', 0, stateRecord('s', 1, 1, 0, undefined, false))),
      ],
      [AuditLogClosedError, await caught(() => log.append({ message: 'late' } as never))],
      [
        MachineDefinitionError,
        await caught(() => parseMachines({ machines: { m: { states: {} } } }, { source: 'm.json' })),
      ],
      [FlagDocumentError, await caught(() => FlagDocument.load({ document: { flags: 3 } }, 'flags.json'))],
      [FlagDocumentReadError, await caught(() => fileSource('/nonexistent/flags.json').load())],
    ] as const;
    for (const [type, error] of errors) {
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(FlagstateError);
      const e = error as FlagstateError;
      expect(e.name).toBe(type.name);
      expect(e.code).toMatch(/^[A-Z]+(_[A-Z]+)+$/);
    }
    const read = errors[4][1] as FlagDocumentReadError;
    expect(read.code).toBe('FLAG_DOCUMENT_UNREADABLE');
    expect((read.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('document errors read alike: source, kind, count, then one line per problem with its path', async () => {
    const machine = (await caught(() =>
      parseMachines({ machines: { m: { states: {} } } }, { source: 'm.json' }),
    )) as MachineDefinitionError;
    const flags = (await caught(() =>
      FlagDocument.load({ document: { flags: 3 } }, 'flags.json'),
    )) as FlagDocumentError;
    expect(machine.message).toMatch(
      /^m\.json: invalid machine definition \(\d+ problems?\):\n {2}machines\.m/,
    );
    expect(flags.message).toMatch(/^flags\.json: invalid flag document \(\d+ problems?\):\n {2}\S/);
    expect([machine.source, flags.source]).toEqual(['m.json', 'flags.json']);
  });
});
