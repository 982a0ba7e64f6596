/**
 * Writes the hostile audit files of `documents/`, once: `npx tsx packages/cli/test/hostile-audit/generate.ts`.
 * The files are checked in; this script says how each was made. The valid records come from a
 * real audit log (`writeRollout`); each hostile file is derived from them, re-chained with the
 * library's own `hashRecord` where the hostility must lie past the hash chain. Running it again
 * gives new event ids, hashes and checkpoint times, which no expectation depends on.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainHash, GENESIS_HASH } from '@flagstate/audit';
import { writeRollout } from '../fixtures/audit-files.js';

/** The stream ids of the corpus, fixed so that messages naming a stream stay the same. */
export const STREAM = '01a2b3c4-0000-7000-8000-000000000001';
export const OTHER_STREAM = '01a2b3c4-0000-7000-8000-000000000002';

// biome-ignore lint/suspicious/noExplicitAny: hostile records are anything.
type Rec = any;

const DOCUMENTS = fileURLToPath(new URL('./documents/', import.meta.url));

/** Strings written as the JSON text they map to: JSON nested too deeply to build as an object. */
const SPLICED = new Map<string, string>();

/** RFC 8785 form for what JSON holds: keys sorted, written without going through an object's setters. */
function canonical(value: unknown): string {
  if (typeof value === 'string' && SPLICED.has(value)) return SPLICED.get(value)!;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `event.hash` as the writer computes it (`hashRecord`), over this file's canonical form:
 * safe-stable-stringify, which the library uses, overflows the stack on the deeply nested record.
 */
function hashOf(r: Rec): string {
  delete r.event.hash;
  return chainHash(r.audit.prev_hash, canonical(r));
}

/** Recomputes `prev_hash`, `event.hash` and checkpoint heads in order, as a writer would have. */
function rechain(records: Rec[], options: { keepHeads?: boolean } = {}): Rec[] {
  let prev = GENESIS_HASH;
  for (const r of records) {
    if (r?.event?.action === 'audit-gap') continue;
    if (r.event.sequence === 1) prev = GENESIS_HASH;
    const cp = r.audit.checkpoint;
    if (cp && typeof cp === 'object' && !options.keepHeads) {
      cp.head = prev;
      cp.count = r.event.sequence - 1;
    }
    r.audit.prev_hash = prev;
    r.event.hash = hashOf(r);
    prev = r.event.hash;
  }
  return records;
}

/** Gives subject `from` another name (and, with `machine`, another machine) in every record of it. */
function rename(records: Rec[], from: string, to: string, machine?: string): void {
  for (const r of records) {
    if (r.state_change?.subject !== from) continue;
    r.state_change.subject = to;
    if (r.feature_flag?.context) r.feature_flag.context.id = to;
    if (machine !== undefined) r.state_change.machine = machine;
    r.message = r.message.replace(from, to);
  }
}

const parse = (lines: readonly string[]): Rec[] => lines.map((l) => JSON.parse(l));
const text = (lines: readonly string[], eol = '\n') => lines.join(eol) + eol;
const lineOf = (r: Rec) => canonical(r);

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'flagstate-hostile-audit-'));
  try {
    await writeRollout(join(tmp, 'a.ndjson'), { subjects: 3, checkpointEvery: 4, stream: STREAM });
    // Lines 1-3: inits of user-0..2 (records 1-3); 4: user-0 to canary; 5: checkpoint;
    // 6-7: user-1, user-2 to canary; 8: user-0 to v2; 9: the final checkpoint.
    const base = readFileSync(join(tmp, 'a.ndjson'), 'utf8').split('\n').filter(Boolean);
    const files = corpus(base);
    mkdirSync(DOCUMENTS, { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(DOCUMENTS, name), content);
    console.log(`${Object.keys(files).length} files written to ${DOCUMENTS}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Each hostile file, by name: its content made from the valid stream `base`. */
function corpus(base: readonly string[]): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  /** The base stream, with `edit` applied to its parsed records, then re-chained. */
  const rechained = (edit: (records: Rec[]) => void, options?: { keepHeads?: boolean }) => {
    const records = parse(base);
    edit(records);
    return text(rechain(records, options).map(lineOf));
  };
  const withLine = (at: number, line: string) => text([...base.slice(0, at), line, ...base.slice(at)]);
  const replaced = (at: number, line: string) => text(base.map((l, i) => (i === at ? line : l)));

  files['valid-baseline.ndjson'] = text(base);

  // Valid JSON of the wrong shape.
  files['null-objects.ndjson'] = withLine(2, '{"event":null,"audit":null,"state_change":null}');
  files['top-level-scalars.ndjson'] = withLine(2, ['null', '42', '"a string"', '[]', 'true'].join('\n'));
  files['sequence-as-string.ndjson'] = replaced(2, base[2]!.replace('"sequence":3', '"sequence":"3"'));
  files['hash-as-number.ndjson'] = replaced(2, base[2]!.replace(/"hash":"[0-9a-f]{64}"/, '"hash":123'));
  files['checkpoint-head-not-string.ndjson'] = rechained(
    (rs) => {
      rs[4].audit.checkpoint.head = 42;
    },
    { keepHeads: true },
  );
  files['checkpoint-fields-mistyped.ndjson'] = rechained(
    (rs) => {
      rs[8].audit.checkpoint = { count: '8', head: null, final: 'yes' };
    },
    { keepHeads: true },
  );
  files['state-change-mistyped.ndjson'] = rechained((rs) => {
    Object.assign(rs[1].state_change, { subject: 7, to: null });
    Object.assign(rs[5].state_change, { dwell_ms: 'an hour', subject_version: '2' });
  });
  files['gap-record-mistyped.ndjson'] = withLine(
    4,
    lineOf({
      '@timestamp': '2026-11-23T10:15:31.000Z',
      event: { action: 'audit-gap', id: '01a2b3c4-0000-7000-8000-0000000000aa', kind: 'event' },
      audit: { stream: STREAM, gap: { from_sequence: 'one', to_sequence: null, missed: [] } },
      message: 'a gap whose fields are not numbers',
    }),
  );

  // Text that is not JSON, or JSON read differently by different readers.
  files['not-json-lines.ndjson'] = withLine(
    3,
    ['this is not json', '{"unterminated": ', '\u001b[2J\u001b[31mFAKE: all records verified\u001b[0m'].join(
      '\n',
    ),
  );
  files['byte-order-mark.ndjson'] = `\ufeff${text(base)}`;
  files['crlf-line-endings.ndjson'] = text(base, '\r\n');
  files['torn-last-line.ndjson'] = `${text(base.slice(0, 8))}${base[8]!.slice(0, 200)}`;
  files['empty.ndjson'] = '';
  files['only-whitespace.ndjson'] = ' \n\t\n\r\n   \n\n';
  // A second "subject" after the first: JSON.parse keeps the last, which is what was hashed.
  files['duplicate-keys.ndjson'] = replaced(
    1,
    base[1]!.replace('"subject":"user-1"', '"subject":"mallory","subject":"user-1"'),
  );
  // user-0 becomes subject "constructor" of machine "__proto__"; its first record also carries
  // "__proto__" and "constructor" keys of its own, which JSON.parse keeps as plain fields.
  files['proto-and-constructor-keys.ndjson'] = rechained((rs) => {
    rename(rs, 'user-0', 'constructor', '__proto__');
    const first = canonical(rs[0]).replace(
      '{"@timestamp"',
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"@timestamp"',
    );
    rs[0] = JSON.parse(first.replace('"state_change":{', '"state_change":{"__proto__":{"machine":"evil"},'));
  });
  {
    const bytes = Buffer.from(
      `${text(base.slice(0, 1))}${base[1]!.replace('"subject":"user-1"', '"subject":"user-\u00e9"')}\n${text(base.slice(2))}`,
    );
    // é is C3 A9 in UTF-8; FF FE is never valid UTF-8.
    const at = bytes.indexOf(Buffer.from([0xc3, 0xa9]));
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    files['invalid-utf8.ndjson'] = bytes;
  }
  files['huge-numbers.ndjson'] = rechained((rs) => {
    // 123456789012345678901234567890, as a double holds it: far past 2^53.
    rs[1].state_change.subject_version = 1.2345678901234568e29;
    rs[5].state_change.dwell_ms = 1.7976931348623157e308;
    rs[2].event.duration = -0;
  });
  // 1e400 is Infinity to JSON.parse: no writer can hash it, and no canonical form holds it.
  files['number-beyond-double.ndjson'] = replaced(
    1,
    base[1]!.replace('"subject_version":1', '"subject_version":1e400'),
  );
  {
    // 5,000 levels in a record whose hash holds: written canonical (as the log writes), and
    // again with a space after each colon, which no reader may treat differently.
    let deep = '"bottom"';
    for (let i = 0; i < 5000; i++) deep = i % 2 === 0 ? `[${deep}]` : `{"d":${deep}}`;
    SPLICED.set('(5000 levels)', deep);
    const nested = rechained((rs) => {
      rs[1].labels = { deep: '(5000 levels)' };
    });
    files['deeply-nested.ndjson'] = nested;
    const lines = nested.split('\n');
    lines[1] = lines[1]!.replaceAll('{"d":', '{"d": ');
    files['deeply-nested-not-canonical.ndjson'] = lines.join('\n');
  }

  // Hostile text in what tail prints.
  files['lone-surrogates.ndjson'] = rechained((rs) => {
    rename(rs, 'user-0', 'user-\ud800');
    rename(rs, 'user-1', 'user-\udfff');
    rename(rs, 'user-2', 'user-\ud83d\ude00');
  });
  files['control-characters-in-fields.ndjson'] = rechained((rs) => {
    rename(rs, 'user-0', 'user-\u001b[2J\u001b[H');
    rename(rs, 'user-1', 'user-1\n12:00:00.000 checkout admin → root (init)');
    rename(rs, 'user-2', 'user-\u202egnp.exe', 'checkout\r\u0007');
    rs[3].state_change.transition = 'start\u009b31m-canary';
    rs[3].state_change.to = 'canary\u2028';
    rs[7]['@timestamp'] = '\u001b]0;pwned\u0007';
  });
  // The C1 introducer (CSI) and DEL written as escapes, upper case, on their own in their lines:
  // JSON.stringify would write them as they are.
  files['escaped-c1-controls.ndjson'] = rechained((rs) => {
    rename(rs, 'user-0', 'user-0\u009b2J');
    rename(rs, 'user-1', 'user-1\u007f');
  })
    .replaceAll('\u009b', '\\u009B')
    .replaceAll('\u007f', '\\u007F');
  // The chain itself.
  files['reordered-records.ndjson'] = text([base[0]!, base[2]!, base[1]!, ...base.slice(3)]);
  files['forged-hash.ndjson'] = (() => {
    const rs = parse(base);
    rs[2].state_change.to = 'v2';
    rs[2].event.hash = hashOf(rs[2]);
    return text(rs.map(lineOf));
  })();
  files['sequence-gap.ndjson'] = rechained((rs) => {
    // Record 3 is gone; every hash is recomputed, so only the sequence tells.
    rs.splice(2, 1);
  });
  // Another writer's run under the same stream id: its own event ids, and user-0 retired.
  files['same-stream-id-twice.ndjson'] =
    text(base) +
    rechained((rs) => {
      rs.forEach((r, i) => {
        r.event.id = `01a2b3c4-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
      });
      rs[7].state_change.to = 'retired';
      delete rs[7].state_change.transition;
      rs[7].message = 'checkout: user-0 v2 -> retired';
    });
  files['record-after-close.ndjson'] = rechained((rs) => {
    const extra = structuredClone(rs[7]);
    extra.event.sequence = 10;
    extra.event.id = '01a2b3c4-0000-7000-8000-0000000000bb';
    extra.state_change.subject_version = 4;
    rs.push(extra);
  });
  files['unknown-action.ndjson'] = rechained((rs) => {
    rs[3].event.action = 'state-teleport';
    rs[3].message = 'checkout: user-0 teleported';
  });
  files['record-from-the-future.ndjson'] = rechained((rs) => {
    rs[7]['@timestamp'] = '2999-01-01T00:00:00.000Z';
    rs[7].state_change.entered_at = '2999-01-01T00:00:00.000Z';
  });
  files['timestamp-not-a-time.ndjson'] = rechained((rs) => {
    rs[0]['@timestamp'] = 'yesterday';
    rs[1]['@timestamp'] = 1764000000000;
  });
  // Fields whose own toString and valueOf are not functions: String() and Number() of them throw.
  files['to-string-keys.ndjson'] = text([
    '{"@timestamp":{"toString":1,"valueOf":1},"event":{"action":"state-init","sequence":{"toString":1,"valueOf":1}}}',
    ...rechained((rs) => {
      rs[1].state_change.entered_at = { toString: 1, valueOf: 1 };
    })
      .split('\n')
      .filter(Boolean),
  ]);
  files['previous-stream-mistyped.ndjson'] = rechained((rs) => {
    rs[0].audit.previous = 'the stream before';
  });
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
