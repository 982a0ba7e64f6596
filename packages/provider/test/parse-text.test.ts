import { createAuditLog, memorySink } from '@flagstate/audit';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { checkoutDocument } from '@flagstate/test-kit';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { parseText } from '../src/internal/parse-text.js';

const parsedValue = (text: string) => {
  const parsed = parseText(text, 128);
  if ('issues' in parsed) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

/** JSON with every kind of value, and numbers and strings at their edges. */
const edgeJson = String.raw`{
  "numbers": [0, -0, 1, -1.5, 1e308, 5e-324, 12345678901234567890, 1.5E3, 0.1],
  "strings": ["", "\u00e9\ud83d\ude00", "\ud800", "\/\b\f\n\r\t\"\\", "x${'y'.repeat(2000)}"],
  "literals": [true, false, null],
  "empty": [{}, []],
  "clé unicode": { "": "empty key", "a.b": "dotted", "0": "numeric" }
}`;

const yamlDocument = `# comments, anchors, merge-free aliases, block scalars and quoting
flags:
  banner: &flag
    state: ENABLED
    variants: { "on": true, "off": false, "yes": 'yes', n: 0x1F, f: 1.5e3 }
    defaultVariant: "on"
    metadata:
      note: |
        two
        lines
      folded: >
        one
        line
  copy: *flag
`;

let domain = 0;
afterEach(async () => {
  await OpenFeature.close();
});

describe('parseText', () => {
  it('gives exactly what JSON.parse gives for valid JSON', () => {
    for (const text of [
      edgeJson,
      JSON.stringify(checkoutDocument()),
      JSON.stringify(checkoutDocument(), null, 2),
      `\n\t ${JSON.stringify(checkoutDocument())}\n`,
    ]) {
      expect(parsedValue(text)).toStrictEqual(JSON.parse(text));
    }
    expect(Object.is((parsedValue(edgeJson) as { numbers: number[] }).numbers[1], -0)).toBe(true);
  });

  it('gives exactly what yaml.parse gives for valid YAML', () => {
    for (const text of [
      yamlDocument,
      toYaml(checkoutDocument()),
      'flags: {}\n',
      '{ flags: {}, a: [1, 2] }\n',
    ]) {
      expect(parsedValue(text)).toStrictEqual(parseYaml(text));
    }
  });

  it('parses a 4 MB JSON document of 10,000 flags within two seconds', () => {
    const flags: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) {
      flags[`flag-${i}`] = {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: {
          if: [
            { '==': [{ var: 'region' }, `eu-${i}`] },
            'on',
            {
              fractional: [
                ['on', 50],
                ['off', 50],
              ],
            },
          ],
        },
      };
    }
    const text = JSON.stringify({ flags }, null, 1);
    expect(text.length).toBeGreaterThan(4_000_000);
    const started = performance.now();
    const value = parsedValue(text);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(value).toStrictEqual(JSON.parse(text));
  });
});

describe('a bad reload', () => {
  it('keeps the last good document when a reload repeats a key or nests too deep, and recovers', async () => {
    const source = memorySource(JSON.stringify(checkoutDocument({ enforcement: 'audit' })), 'flags.json');
    const provider = new StateMachineProvider({ source, audit: createAuditLog({ sinks: [memorySink()] }) });
    const name = `parse-text-${domain++}`;
    await OpenFeature.setProviderAndWait(name, provider);
    const client = OpenFeature.getClient(name);
    const revision = provider.document!.revision;
    const errors: string[] = [];
    client.addHandler(ProviderEvents.Error, (details) => errors.push(String(details?.message)));

    const good = JSON.stringify(checkoutDocument({ enforcement: 'audit' }), null, 2);
    source.update(
      good.replace('"enforcement": "audit",', '"enforcement": "audit",\n      "enforcement": "enforce",'),
    );
    source.update(`flags: {}\nmetadata: ${'['.repeat(300)}${']'.repeat(300)}\n`);
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors[0]).toMatch(
      /^flags\.json: invalid flag document \(1 problem\):\n {2}machines\.checkout\.enforcement: duplicate key "enforcement" at line \d+, column 7 \(first at line \d+, column 7\); a key may appear only once in an object\n/,
    );
    expect(errors[1]).toContain('flags.json: invalid flag document (1 problem):\n  metadata[0][0]');
    expect(errors[1]).toContain('nested deeper than 128 levels of objects and arrays at line 2, column 138');
    expect(provider.document!.revision).toBe(revision);
    expect(provider.document!.machines.get('checkout')!.enforcement).toBe('audit');

    const ready = new Promise((resolve) => client.addHandler(ProviderEvents.Ready, resolve));
    source.update(good.replace('"audit"', '"enforce"'));
    await ready;
    expect(provider.document!.machines.get('checkout')!.enforcement).toBe('enforce');
  });
});
