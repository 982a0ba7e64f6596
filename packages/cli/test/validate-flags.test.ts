import { readFileSync } from 'node:fs';
import { FlagDocument, FlagDocumentError } from '@flagstate/provider';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutDocument } from './fixtures/documents.js';
import { runCli, tempDir } from './fixtures/run-cli.js';
import { writeDocument } from './fixtures/write-document.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

type Doc = typeof checkoutDocument;
type Flag = Record<string, unknown>;
/** The DESIGN.md document with one edit made to a copy. */
function edited(edit: (doc: Doc, checkout: Flag) => void): Doc {
  const doc = structuredClone(checkoutDocument);
  edit(doc, doc.flags.checkout as Flag);
  return doc;
}

/** Illegal edits, each with a problem the provider names. */
const illegal: ReadonlyArray<readonly [string, Doc, string]> = [
  ['flagd state', edited((_, f) => (f.state = 'BOGUS')), 'flags.checkout.state: expected one of'],
  [
    'variants not an object',
    edited((_, f) => (f.variants = 7)),
    'flags.checkout.variants: expected an object',
  ],
  [
    'a variant that is not a state',
    edited((_, f) => (f.variants = { legacy: 'a', canary: 'b', v3: 'c' })),
    'flags.checkout.variants: variants "v3" of flag "checkout" are not states of machine "checkout"',
  ],
  [
    'an undefined gate flag',
    edited((d) => (d.machines.checkout.transitions[1]!.guard = { flag: 'nope' })),
    'machines.checkout.transitions[1].guard.flag: gate flag "nope" is not defined in flags',
  ],
  [
    'a guard flagd cannot run',
    edited((d) => (d.machines.checkout.transitions[1]!.guard = { bogusOp: [1] } as never)),
    'machines.checkout.transitions[1].guard: not a JSON Logic rule flagd can run',
  ],
  [
    'no flags section',
    edited((d) => delete (d as Partial<Doc>).flags),
    'flags: is required: an object of flagd flags',
  ],
  ['a default variant that is no variant', edited((_, f) => (f.defaultVariant = 'nope')), ''],
];

/** The reviewer's example: every flagd field wrong at once. */
const allWrong = edited((_, f) => {
  f.state = 'BOGUS';
  f.defaultVariant = 'nope';
  f.variants = 7;
  f.targeting = { fractional: 'not-a-list' };
});
const tolerated = edited((_, f) => (f.targeting = { fractional: 'not-a-list' }));

/** What the provider's loader says of a file: its problems as validate prints them, or its warnings. */
function providerVerdict(file: string): { problems: string[]; warnings: string[] } {
  try {
    const doc = FlagDocument.load({ text: readFileSync(file, 'utf8') }, file);
    return { problems: [], warnings: doc.warnings.map((w) => `${file}: warning: ${w.path}: ${w.message}`) };
  } catch (error) {
    if (!(error instanceof FlagDocumentError)) throw error;
    return { problems: error.issues.map((i) => `${file}: ${i.path}: ${i.message}`), warnings: [] };
  }
}
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('flagstate validate checks the flags as the provider does', { timeout: 30_000 }, () => {
  it.each(illegal)('rejects %s, naming the problem with its path', (name, doc, problem) => {
    const file = writeDocument(tmp.path(`${name.replaceAll(' ', '-')}.yaml`), doc);
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 1, stderr: '' });
    expect(r.stdout).toContain(`${file}: ${problem}`);
    expect(r.stdout).not.toContain('ok —');
  });

  it("rejects the reviewer's document with every flagd field wrong", () => {
    const file = writeDocument(tmp.path('all-wrong.yaml'), allWrong);
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout).toContain(`${file}: flags.checkout.state: expected one of ["ENABLED","DISABLED"]`);
  });

  it('prints what flagd tolerates as warnings on stderr, and exits 0', () => {
    const file = writeDocument(tmp.path('tolerated.json'), tolerated);
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toBe(
      `${file}: ok — 1 machine (checkout v3: 4 states, 5 transitions), 2 flags, 1 warning\n`,
    );
    expect(r.stderr).toBe(`${file}: warning: flags.checkout.targeting.fractional: expected an array\n`);
  });

  it('reads JSON or YAML by content, whatever the file is called, as the provider does', () => {
    const yamlInJson = writeDocument(tmp.path('yaml-inside.json'), 'flags: {}\n');
    const r = runCli(['validate', yamlInJson]);
    expect(r).toMatchObject({ status: 0, stdout: `${yamlInJson}: ok — 0 machines, 0 flags\n` });
  });

  const cases = [
    ['valid', checkoutDocument],
    ['tolerated', tolerated],
    ['all-wrong', allWrong],
    ...illegal.map(([name, doc]) => [name, doc] as const),
  ] as const;
  it.each(cases.flatMap(([name, doc]) => ['json', 'yaml'].map((ext) => [name, ext, doc] as const)))(
    'agrees with FlagDocument.load on %s (%s): same verdict, same problems and warnings',
    (name, ext, doc) => {
      const file = writeDocument(tmp.path(`agree-${name.replaceAll(' ', '-')}.${ext}`), doc);
      const expected = providerVerdict(file);
      const r = runCli(['validate', file]);
      expect(r.status).toBe(expected.problems.length === 0 ? 0 : 1);
      if (expected.problems.length > 0) expect(lines(r.stdout)).toEqual(expected.problems);
      expect(lines(r.stderr)).toEqual(expected.warnings);
    },
  );
});
