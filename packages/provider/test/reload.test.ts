import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, memorySink } from '@flagstate/audit';
import { FlagDocumentError, fileSource, StateMachineProvider } from '@flagstate/provider';
import { checkoutDocument } from '@flagstate/test-kit';
import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';

let domain = 0;
afterEach(async () => {
  await OpenFeature.close();
});

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flagstate-provider-')), name);
  writeFileSync(path, content);
  return path;
}

/** Waits for the next event of a kind on a client, failing after a bound. */
function next(client: ReturnType<typeof OpenFeature.getClient>, event: ProviderEvents, ms = 5_000) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    const handler = (details?: unknown) => {
      clearTimeout(timer);
      client.removeHandler(event, handler);
      resolve((details ?? {}) as Record<string, unknown>);
    };
    client.addHandler(event, handler);
  });
}

async function fileProvider(path: string) {
  const provider = new StateMachineProvider({
    source: fileSource(path, { debounceMs: 20 }),
    audit: createAuditLog({ sinks: [memorySink()] }),
  });
  const name = `reload-${domain++}`;
  await OpenFeature.setProviderAndWait(name, provider);
  const client = OpenFeature.getClient(name);
  const ask = (want: string) => client.getStringValue('checkout', 'fallback', { targetingKey: 'u', want });
  return { provider, client, ask };
}

const bad: Array<[string, (doc: ReturnType<typeof checkoutDocument>) => string, RegExp]> = [
  ['invalid JSON', () => '{ "flags": {', /\(document\): not valid JSON/],
  ['invalid YAML', () => 'flags:\n  checkout: [\n', /\(document\): not valid YAML at line \d+, column \d+/],
  [
    'an unknown state',
    (d) => {
      d.machines.checkout.transitions.push({ from: 'legacy', to: 'v3' } as never);
      return JSON.stringify(d);
    },
    /machines\.checkout\.transitions\[4\]\.to: unknown state "v3" \(states: legacy, canary, v2, retired\)/,
  ],
  [
    'a variant that is not a state',
    (d) => {
      (d.flags.checkout.variants as Record<string, string>).beta = 'beta-flow';
      return JSON.stringify(d);
    },
    /flags\.checkout\.variants: variants "beta" of flag "checkout" are not states of machine "checkout"/,
  ],
  [
    'a bad JSON Logic guard',
    (d) => {
      (d.machines.checkout.transitions[3] as { guard: unknown }).guard = { bogus_operator: [1, 2] };
      return JSON.stringify(d);
    },
    /machines\.checkout\.transitions\[3\]\.guard: not a JSON Logic rule flagd can run/,
  ],
  [
    'a missing gate flag',
    (d) => {
      delete (d.flags as Record<string, unknown>)['checkout-v2-allowed'];
      return JSON.stringify(d);
    },
    /machines\.checkout\.transitions\[1\]\.guard\.flag: gate flag "checkout-v2-allowed" is not defined in flags/,
  ],
  [
    'a bad flagd flag',
    (d) => {
      (d.flags.unbound as { state: string }).state = 'MAYBE';
      return JSON.stringify(d);
    },
    /flags\.unbound\.state: /,
  ],
];

describe('StateMachineProvider documents and reloads', () => {
  it('loads YAML and JSON alike', async () => {
    const { ask } = await fileProvider(tempFile('flags.yaml', toYaml(checkoutDocument())));
    expect(await ask('canary')).toBe('new-flow');
  });

  it('rejects a bad first document with the file and every problem path', async () => {
    const doc = checkoutDocument();
    doc.machines.checkout.initial = 'nowhere';
    doc.machines.checkout.transitions.push({ from: 'legacy', to: 'v3' } as never);
    const path = tempFile('flags.json', JSON.stringify(doc));
    const provider = new StateMachineProvider({
      source: fileSource(path),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    const error = await provider.initialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlagDocumentError);
    expect((error as FlagDocumentError).message).toContain(`${path}: invalid flag document (2 problems)`);
    expect((error as FlagDocumentError).issues.map((i) => i.path)).toEqual([
      'machines.checkout.initial',
      'machines.checkout.transitions[4].to',
    ]);
    await expect(OpenFeature.setProviderAndWait(`reload-${domain++}`, provider)).rejects.toBeDefined();
  });

  it('names every bad flag, though flagd-core stops at the first', async () => {
    const doc = checkoutDocument() as { flags: Record<string, unknown> };
    doc.flags.a = { state: 'BOGUS', variants: { x: 1 }, defaultVariant: 'x' };
    doc.flags.b = { state: 'ENABLED', variants: 7, defaultVariant: 'x' };
    doc.flags.c = { state: 'ENABLED', variants: { x: 1 }, defaultVariant: 'nope' };
    const error = await new StateMachineProvider({
      source: doc,
      audit: createAuditLog({ sinks: [memorySink()] }),
    })
      .initialize()
      .catch((e: unknown) => (e as Error).cause);
    expect((error as FlagDocumentError).issues).toEqual([
      { path: 'flags.a.state', message: 'expected one of ["ENABLED","DISABLED"]' },
      { path: 'flags.b.variants', message: 'expected an object' },
      { path: 'flags.c.defaultVariant', message: '"nope" is not one of the flag\'s variants (x)' },
    ]);
  });

  it('swaps a valid reload atomically and reports the flags that changed', async () => {
    const path = tempFile('flags.json', JSON.stringify(checkoutDocument()));
    const { client, ask } = await fileProvider(path);
    expect(await client.getStringValue('unbound', 'x', {})).toBe('A');
    const changed = next(client, ProviderEvents.ConfigurationChanged);
    const doc = checkoutDocument();
    doc.flags.unbound.defaultVariant = 'b';
    writeFileSync(path, JSON.stringify(doc));
    expect((await changed).flagsChanged).toEqual(['unbound']);
    expect(await client.getStringValue('unbound', 'x', {})).toBe('B');
    expect(await ask('legacy')).toBe('legacy-flow');
  });

  for (const [name, edit, message] of bad) {
    it(`keeps serving the last good document after ${name}, then recovers`, async () => {
      const path = tempFile(
        name.includes('YAML') ? 'flags.yaml' : 'flags.json',
        JSON.stringify(checkoutDocument()),
      );
      const { provider, client, ask } = await fileProvider(path);
      const revision = provider.document!.revision;
      const failed = next(client, ProviderEvents.Error);
      writeFileSync(path, edit(checkoutDocument()));
      const error = await failed;
      expect(String(error.message)).toContain(path);
      expect(String(error.message)).toMatch(message);
      expect(String(error.message)).toContain(`(still serving revision ${revision})`);
      expect(error.errorCode).toBe('PARSE_ERROR');
      expect(client.providerStatus).toBe(ProviderStatus.ERROR);
      // Still served, from the last good document.
      expect(provider.document!.revision).toBe(revision);
      expect(await ask('canary')).toBe('new-flow');
      const ready = next(client, ProviderEvents.Ready);
      const fixed = checkoutDocument();
      fixed.flags.unbound.defaultVariant = 'b';
      writeFileSync(path, JSON.stringify(fixed));
      await ready;
      expect(client.providerStatus).toBe(ProviderStatus.READY);
      expect(await client.getStringValue('unbound', 'x', {})).toBe('B');
    });
  }

  it('keeps serving when the watched file is deleted, says so, and recovers when it returns', async () => {
    const path = tempFile('flags.json', JSON.stringify(checkoutDocument()));
    const { provider, client, ask } = await fileProvider(path);
    const revision = provider.document!.revision;
    const failed = next(client, ProviderEvents.Error);
    rmSync(path);
    expect(String((await failed).message)).toContain(`${path}: the file does not exist`);
    expect(provider.document!.revision).toBe(revision);
    expect(await ask('canary')).toBe('new-flow');
    // The same content again: ready, and no configuration change, since nothing changed.
    let changes = 0;
    client.addHandler(ProviderEvents.ConfigurationChanged, () => changes++);
    const ready = next(client, ProviderEvents.Ready);
    writeFileSync(path, JSON.stringify(checkoutDocument()));
    await ready;
    await new Promise((r) => setTimeout(r, 50));
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(changes).toBe(0);
  });

  it('refuses a 5 MB file with a clear error and keeps serving', async () => {
    const path = tempFile('flags.json', JSON.stringify(checkoutDocument()));
    const { provider, client, ask } = await fileProvider(path);
    const revision = provider.document!.revision;
    const failed = next(client, ProviderEvents.Error);
    const big = checkoutDocument() as Record<string, unknown>;
    big.metadata = { padding: 'x'.repeat(5 * 1024 * 1024) };
    writeFileSync(path, JSON.stringify(big));
    expect(String((await failed).message)).toContain(`${path}: the file is 5.0 MiB, over the 4.0 MiB limit`);
    expect(provider.document!.revision).toBe(revision);
    expect(await ask('canary')).toBe('new-flow');
  });

  it('becomes ready when a bad first document is fixed', async () => {
    const doc = checkoutDocument();
    doc.machines.checkout.initial = 'nowhere';
    const path = tempFile('flags.json', JSON.stringify(doc));
    const provider = new StateMachineProvider({
      source: fileSource(path, { debounceMs: 20 }),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    const name = `reload-${domain++}`;
    await expect(OpenFeature.setProviderAndWait(name, provider)).rejects.toBeDefined();
    const client = OpenFeature.getClient(name);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    const failed = await client.getStringDetails('checkout', 'fallback', { targetingKey: 'u' });
    expect(failed).toMatchObject({ value: 'fallback', reason: 'ERROR' });
    const ready = next(client, ProviderEvents.Ready);
    writeFileSync(path, JSON.stringify(checkoutDocument()));
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getStringValue('checkout', 'fallback', { targetingKey: 'u', want: 'canary' })).toBe(
      'new-flow',
    );
  });

  it('stops watching on close, and closes only an audit log it created', async () => {
    const path = tempFile('flags.json', JSON.stringify(checkoutDocument()));
    const given = createAuditLog({ sinks: [memorySink()] });
    const withGiven = new StateMachineProvider({
      source: fileSource(path, { debounceMs: 20 }),
      audit: given,
    });
    const withOwn = new StateMachineProvider({ source: checkoutDocument() });
    await withGiven.initialize();
    await withOwn.initialize();
    let events = 0;
    withGiven.events.addHandler(ProviderEvents.ConfigurationChanged, () => events++);
    withGiven.events.addHandler(ProviderEvents.Error, () => events++);
    await withGiven.onClose();
    await withOwn.onClose();
    expect(given.closed).toBe(false);
    expect(withOwn.audit.closed).toBe(true);
    writeFileSync(path, '{ "flags": {');
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toBe(0);
    await given.close();
  });
});
