import { readFileSync } from 'node:fs';

/**
 * What `verify`, `replay` and `tail` must each say of every audit file in `documents/` (made
 * by `generate.ts` from a real audit log's stream: 3 subjects, records 1-8 and checkpoints 5
 * and 9, one record a line). `FILE` stands for the file's path. A message that reports a bad
 * line names it as `FILE:<line>:`; replay's conflicts name machine, subject and version instead,
 * since replay keeps no places.
 */
export interface HostileAuditFile {
  readonly file: string;
  readonly kind: HostileAuditKind;
  /** What the file tries. */
  readonly tries: string;
  readonly verify: Outcome;
  readonly replay: Outcome;
  readonly tail: Outcome;
  /**
   * A fault of the library (`@flagstate/core`) that this file shows: the outcomes above are what
   * the CLI does today; this says what it should do, once the library is fixed.
   */
  readonly coreBug?: string;
}

export interface Outcome {
  readonly code: 0 | 1 | 2;
  /** Lines stdout must hold, each in full. */
  readonly out?: readonly string[];
  /** Lines stderr must hold, each in full; without it, stderr must be empty. */
  readonly err?: readonly string[];
}

export type HostileAuditKind =
  | 'wrong shape'
  | 'not JSON'
  | 'encoding and framing'
  | 'numbers and nesting'
  | 'keys'
  | 'terminal text'
  | 'chain'
  | 'time and action';

const OK = 'ok: 9 records, 1 stream, closed, checkpoints cover 1..9';
const TABLE = ['machine   state   subjects', 'checkout  canary         2', 'checkout  v2             1'];
const REPLAYED = [...TABLE, '3 subjects in 1 machine, from 7 state records'];
/** The valid stream as tail prints it, checkpoints aside (their times are the log's own). */
const TAILED = [
  '10:15:30.123 checkout user-0 → legacy (init)',
  '10:15:30.123 checkout user-1 → legacy (init)',
  '10:15:30.123 checkout user-2 → legacy (init)',
  '11:15:30.123 checkout user-0 legacy → canary (start-canary, 1h 0m)',
  '11:15:30.123 checkout user-1 legacy → canary (start-canary, 1h 0m)',
  '11:15:30.123 checkout user-2 legacy → canary (start-canary, 1h 0m)',
  '11:15:30.123 checkout user-0 canary → v2 (promote, 1d 0h)',
];
const NOT_CHAINED =
  'malformed: not a chained audit record (event.sequence, event.hash, audit.stream, audit.prev_hash)';
const skippedLines = (n: number) =>
  `flagstate: ${n} line${n === 1 ? '' : 's'} skipped: the snapshot may lack their records`;
/** replay of the stream without one line that was a subject's version 1. */
const replayedWithout = (subject: string, ...err: string[]): Outcome => ({
  code: 1,
  out: [
    ...TABLE,
    '3 subjects in 1 machine, from 6 state records',
    '1 conflict:',
    `  checkout ${subject} version 1: gap: versions 1..1 are missing`,
  ],
  err: [...err, skippedLines(err.length)],
});
/** A line `tail` and `replay` both skip as not an audit record. */
const notRecord = (line: number, problem: string) => ({
  tail: `FILE:${line}: not an audit record (${problem}), skipped`,
  replay: `FILE:${line}: skipped: not an audit record (${problem})`,
});
const UTF8 = 'not UTF-8 text (a reader would put U+FFFD in place of its bad bytes)';
const TOO_DEEP = 'nested too deeply to check (more than 128 levels)';
/** The event ids of the two runs of same-stream-id-twice.ndjson, by line: made anew by each generation. */
const SAME_STREAM_IDS = (() => {
  const ids = readFileSync(new URL('./documents/same-stream-id-twice.ndjson', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).event.id as string);
  return [ids.slice(0, 9), ids.slice(9)];
})();

const nullObjects = notRecord(3, 'event: expected an object, got null');
const scalars = [
  notRecord(3, 'the line is null, not an object'),
  notRecord(4, 'the line is the number 42, not an object'),
  notRecord(5, 'the line is a string, not an object'),
  notRecord(6, 'the line is an array, not an object'),
  notRecord(7, 'the line is true, not an object'),
];
const sequenceString = notRecord(3, 'event.sequence: expected a whole number, got a string');
const hashNumber = notRecord(3, 'event.hash: expected a string, got the number 123');
const headNumber = notRecord(5, 'audit.checkpoint.head: expected a string, got the number 42');
const checkpointFields = notRecord(9, 'audit.checkpoint.count: expected a whole number, got a string');
const stateChange = [
  notRecord(2, 'state_change.subject: expected a string, got the number 7'),
  notRecord(6, 'state_change.subject_version: expected a whole number, got a string'),
];
const gapFields = notRecord(5, 'audit.gap.from_sequence: expected a whole number, got a string');
const toStringKeys = [
  notRecord(1, 'state_change: expected an object in a state-init record, got nothing'),
  notRecord(3, 'state_change.entered_at: expected a string, got an object'),
];
const tooLarge = notRecord(
  2,
  'state_change.subject_version: expected a whole number, got a number too large to be exact',
);
const outOfRange = notRecord(
  2,
  'state_change.subject_version: expected a whole number, got a number out of range',
);
const timestamp = notRecord(2, '@timestamp: expected a string, got the number 1764000000000');

export const hostileAuditFiles: readonly HostileAuditFile[] = [
  {
    file: 'valid-baseline.ndjson',
    kind: 'chain',
    tries: 'nothing: the stream as the audit log wrote it, which every other file departs from',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },

  // Valid JSON of the wrong shape: named by file and line, never "unexpected error".
  {
    file: 'null-objects.ndjson',
    kind: 'wrong shape',
    tries: '{"event":null,"audit":null,"state_change":null}, which crashed all three commands',
    verify: { code: 1, out: [`FILE:3: ${NOT_CHAINED}`] },
    replay: { code: 1, out: REPLAYED, err: [nullObjects.replay, skippedLines(1)] },
    tail: { code: 0, out: TAILED, err: [nullObjects.tail] },
  },
  {
    file: 'top-level-scalars.ndjson',
    kind: 'wrong shape',
    tries: 'null, 42, a string, [] and true, each valid JSON on its own line',
    verify: {
      code: 1,
      out: [`FILE:3: ${NOT_CHAINED}`, '(and 4 more problems in other streams or lines)'],
    },
    replay: { code: 1, out: REPLAYED, err: [...scalars.map((s) => s.replay), skippedLines(5)] },
    tail: { code: 0, out: TAILED, err: scalars.map((s) => s.tail) },
  },
  {
    file: 'sequence-as-string.ndjson',
    kind: 'wrong shape',
    tries: 'record 3 with "sequence":"3"',
    verify: { code: 1, out: [`FILE:3: ${NOT_CHAINED}`] },
    replay: replayedWithout('user-2', sequenceString.replay),
    tail: { code: 0, out: TAILED.filter((l) => l !== TAILED[2]), err: [sequenceString.tail] },
  },
  {
    file: 'hash-as-number.ndjson',
    kind: 'wrong shape',
    tries: 'record 3 with "hash":123',
    verify: { code: 1, out: [`FILE:3: ${NOT_CHAINED}`] },
    replay: replayedWithout('user-2', hashNumber.replay),
    tail: { code: 0, out: TAILED.filter((l) => l !== TAILED[2]), err: [hashNumber.tail] },
  },
  {
    file: 'checkpoint-head-not-string.ndjson',
    kind: 'wrong shape',
    tries: 'a checkpoint whose head is the number 42, its hash recomputed: it killed a running tail --follow',
    verify: {
      code: 1,
      out: ['FILE:5: record 5 chain_broken: checkpoint 5 does not vouch for the records before it'],
    },
    replay: { code: 1, out: REPLAYED, err: [headNumber.replay, skippedLines(1)] },
    tail: { code: 0, out: TAILED, err: [headNumber.tail] },
  },
  {
    file: 'checkpoint-fields-mistyped.ndjson',
    kind: 'wrong shape',
    tries: 'the final checkpoint as { count: "8", head: null, final: "yes" }, re-hashed',
    verify: {
      code: 1,
      out: ['FILE:9: record 9 chain_broken: checkpoint 9 does not vouch for the records before it'],
    },
    replay: { code: 1, out: REPLAYED, err: [checkpointFields.replay, skippedLines(1)] },
    tail: { code: 0, out: TAILED, err: [checkpointFields.tail] },
  },
  {
    file: 'state-change-mistyped.ndjson',
    kind: 'wrong shape',
    tries:
      'a subject that is a number, a state that is null, a dwell and a version that are strings, re-hashed',
    // The chain holds: verify proves the records are the writer's, not that they are well formed.
    verify: { code: 0, out: [OK] },
    replay: {
      code: 1,
      out: [
        'machine   state   subjects',
        'checkout  canary         1',
        'checkout  v2             1',
        '2 subjects in 1 machine, from 5 state records',
      ],
      err: [...stateChange.map((s) => s.replay), skippedLines(2)],
    },
    tail: {
      code: 0,
      out: TAILED.filter((l) => l !== TAILED[1] && l !== TAILED[4]),
      err: stateChange.map((s) => s.tail),
    },
  },
  {
    file: 'gap-record-mistyped.ndjson',
    kind: 'wrong shape',
    tries: 'an audit-gap record whose range is "one" to null, missing []',
    // Gap records are outside the chain.
    verify: { code: 0, out: [OK] },
    replay: { code: 1, out: REPLAYED, err: [gapFields.replay, skippedLines(1)] },
    tail: { code: 0, out: TAILED, err: [gapFields.tail] },
  },
  {
    file: 'to-string-keys.ndjson',
    kind: 'keys',
    tries:
      'fields whose own toString and valueOf are not functions, so that String() and Number() of them throw (verify and replay order the files by their first line)',
    verify: { code: 1, out: [`FILE:1: ${NOT_CHAINED}`] },
    replay: replayedWithout('user-1', ...toStringKeys.map((s) => s.replay)),
    tail: { code: 0, out: TAILED.filter((l) => l !== TAILED[1]), err: toStringKeys.map((s) => s.tail) },
  },

  // Text that is not JSON, or is read differently by different readers.
  {
    file: 'not-json-lines.ndjson',
    kind: 'not JSON',
    tries: 'prose, an unterminated object, and a line of terminal escapes that fakes a verdict',
    verify: {
      code: 1,
      out: [
        `FILE:4: malformed: not JSON: Unexpected token 'h', "this is not json" is not valid JSON`,
        '(and 2 more problems in other streams or lines)',
      ],
    },
    replay: {
      code: 1,
      out: REPLAYED,
      err: [
        `FILE:4: skipped: not JSON: Unexpected token 'h', "this is not json" is not valid JSON`,
        'FILE:5: skipped: not JSON: Unexpected end of JSON input',
        // The parser quotes the line: escaped, not sent to the terminal as it is.
        `FILE:6: skipped: not JSON: Unexpected token '\\u001b', "\\u001b[2J\\u001b[31mF"... is not valid JSON`,
        skippedLines(3),
      ],
    },
    tail: {
      code: 0,
      out: TAILED,
      err: ['FILE:4: not JSON, skipped', 'FILE:5: not JSON, skipped', 'FILE:6: not JSON, skipped'],
    },
  },
  {
    file: 'torn-last-line.ndjson',
    kind: 'encoding and framing',
    tries: 'the closing checkpoint cut after 200 bytes, without a newline, as a crash leaves it',
    verify: {
      code: 1,
      out: [
        'FILE:8: record 8 truncated: stream ends at record 8 without its closing checkpoint (checkpoints cover 1..5): its tail may have been cut',
        '(and 1 more problem in other streams or lines)',
      ],
    },
    replay: {
      code: 1,
      out: REPLAYED,
      err: ['FILE:9: skipped: not JSON: Unterminated string in JSON at position 200', skippedLines(1)],
    },
    tail: { code: 0, out: TAILED, err: ['FILE:9: not JSON, skipped'] },
  },
  {
    file: 'byte-order-mark.ndjson',
    kind: 'encoding and framing',
    tries: 'a UTF-8 byte order mark before the first record',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },
  {
    file: 'crlf-line-endings.ndjson',
    kind: 'encoding and framing',
    tries: 'CRLF line endings, as a Windows editor saves them',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },
  {
    file: 'empty.ndjson',
    kind: 'encoding and framing',
    tries: 'no bytes at all, as a file just rotated is',
    verify: { code: 0, out: ['ok: 0 records, 0 streams'] },
    replay: { code: 0, out: ['machine  state  subjects', '0 subjects in 0 machines, from 0 state records'] },
    tail: { code: 0, out: [] },
  },
  {
    file: 'only-whitespace.ndjson',
    kind: 'encoding and framing',
    tries: 'spaces, tabs, a CR and blank lines',
    verify: { code: 0, out: ['ok: 0 records, 0 streams'] },
    replay: { code: 0, out: ['machine  state  subjects', '0 subjects in 0 machines, from 0 state records'] },
    tail: { code: 0, out: [] },
  },
  {
    file: 'invalid-utf8.ndjson',
    kind: 'encoding and framing',
    tries: 'bytes FF FE in a subject: decoded, they become U+FFFD, another subject',
    verify: { code: 1, out: [`FILE:2: malformed: ${UTF8}`] },
    replay: replayedWithout('user-1', `FILE:2: skipped: ${UTF8}`),
    // tail shows the record as any reader decodes it: the replacement characters mark it.
    tail: { code: 0, out: ['10:15:30.123 checkout user-\ufffd\ufffd → legacy (init)'] },
  },
  {
    file: 'duplicate-keys.ndjson',
    kind: 'keys',
    tries:
      '"subject":"mallory","subject":"user-1" in record 2: JSON.parse keeps the last, which is what was hashed; a reader that keeps the first sees mallory',
    // The hash holds for what JSON.parse keeps; a reader that keeps the first value (or rejects
    // the line, as Elasticsearch does) sees another record, so the chain cannot vouch for it.
    verify: {
      code: 1,
      out: [
        'FILE:2: malformed: duplicate key "subject" in state_change (readers differ on which of its values counts)',
        '(and 1 more problem in other streams or lines)',
      ],
    },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },
  {
    file: 'proto-and-constructor-keys.ndjson',
    kind: 'keys',
    tries:
      'machine "__proto__", subject "constructor", and "__proto__" and "constructor" keys in the record and its state_change',
    verify: { code: 0, out: [OK] },
    // Counted in objects without a prototype, where "__proto__" is a key like any other.
    replay: {
      code: 0,
      out: [
        'machine    state   subjects',
        '__proto__  v2             1',
        'checkout   canary         2',
        '3 subjects in 2 machines, from 7 state records',
      ],
    },
    tail: {
      code: 0,
      out: [
        '10:15:30.123 __proto__ constructor → legacy (init)',
        '11:15:30.123 __proto__ constructor legacy → canary (start-canary, 1h 0m)',
        '11:15:30.123 __proto__ constructor canary → v2 (promote, 1d 0h)',
      ],
    },
  },

  // Numbers and nesting.
  {
    file: 'huge-numbers.ndjson',
    kind: 'numbers and nesting',
    tries: 'a subject version of 1.2e29 (past 2^53), a dwell of 1.8e308 ms, a duration of -0, re-hashed',
    verify: { code: 0, out: [OK] },
    replay: replayedWithout('user-1', tooLarge.replay),
    tail: {
      code: 0,
      out: ['11:15:30.123 checkout user-1 legacy → canary (start-canary, 2.0806633505350875e+300d 0h)'],
      err: [tooLarge.tail],
    },
  },
  {
    file: 'number-beyond-double.ndjson',
    kind: 'numbers and nesting',
    tries: 'a subject version of 1e400, which JSON.parse reads as Infinity',
    verify: {
      code: 1,
      out: ['FILE:2: record 2 edited: record 2 does not match its event.hash: its content was changed'],
    },
    replay: replayedWithout('user-1', outOfRange.replay),
    tail: { code: 0, out: TAILED.filter((l) => l !== TAILED[1]), err: [outOfRange.tail] },
  },
  {
    file: 'deeply-nested.ndjson',
    kind: 'numbers and nesting',
    tries: 'labels nested 5,000 levels deep in record 2, canonical and correctly hashed',
    // Deeper than any record the log writes, and than recursive canonicalization can be trusted with.
    verify: {
      code: 1,
      out: [`FILE:2: malformed: ${TOO_DEEP}`, '(and 1 more problem in other streams or lines)'],
    },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },
  {
    file: 'deeply-nested-not-canonical.ndjson',
    kind: 'numbers and nesting',
    tries: 'the same, with a space after each colon: the path that parses and canonicalizes',
    verify: {
      code: 1,
      out: [`FILE:2: malformed: ${TOO_DEEP}`, '(and 1 more problem in other streams or lines)'],
    },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },

  // What tail prints comes from the records: escaped, so that no record can drive the terminal.
  {
    file: 'lone-surrogates.ndjson',
    kind: 'terminal text',
    tries: 'subjects user-\\ud800 and user-\\udfff (lone surrogates), and user-😀 (a pair)',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    // Printed as they are, both would be U+FFFD: two subjects that look like one.
    tail: {
      code: 0,
      out: [
        '10:15:30.123 checkout user-\\ud800 → legacy (init)',
        '10:15:30.123 checkout user-\\udfff → legacy (init)',
        '10:15:30.123 checkout user-😀 → legacy (init)',
      ],
    },
  },
  {
    file: 'control-characters-in-fields.ndjson',
    kind: 'terminal text',
    tries:
      'ANSI escapes, a newline that fakes a line, a bidi override, CR and BEL, CSI, U+2028 and an OSC title in subjects, a machine, a state, a transition and a timestamp',
    verify: { code: 0, out: [OK] },
    replay: {
      code: 0,
      out: [
        'machine               state   subjects',
        'checkout              canary         1',
        'checkout              v2             1',
        'checkout\\u000d\\u0007  canary         1',
        '3 subjects in 2 machines, from 7 state records',
      ],
    },
    tail: {
      code: 0,
      out: [
        '10:15:30.123 checkout user-\\u001b[2J\\u001b[H → legacy (init)',
        '10:15:30.123 checkout user-1\\u000a12:00:00.000 checkout admin → root (init) → legacy (init)',
        '10:15:30.123 checkout\\u000d\\u0007 user-\\u202egnp.exe → legacy (init)',
        '11:15:30.123 checkout user-\\u001b[2J\\u001b[H legacy → canary\\u2028 (start\\u009b31m-canary, 1h 0m)',
        '\\u001b]0;pwned\\u0007 checkout user-\\u001b[2J\\u001b[H canary → v2 (promote, 1d 0h)',
      ],
    },
  },
  {
    file: 'escaped-c1-controls.ndjson',
    kind: 'terminal text',
    tries:
      'CSI and DEL written as upper-case escapes (\\u009B, \\u007F), with no other escape in their lines',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    tail: {
      code: 0,
      out: [
        '10:15:30.123 checkout user-0\\u009b2J → legacy (init)',
        '10:15:30.123 checkout user-1\\u007f → legacy (init)',
      ],
    },
  },

  // The chain.
  {
    file: 'reordered-records.ndjson',
    kind: 'chain',
    tries: 'records 2 and 3 swapped',
    verify: {
      code: 1,
      out: ['FILE:2: record 3 reordered: record 3 is out of place: record 2 was expected here'],
    },
    // Replay does not depend on the order of records.
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: [TAILED[0]!, TAILED[2]!, TAILED[1]!, ...TAILED.slice(3)] },
  },
  {
    file: 'forged-hash.ndjson',
    kind: 'chain',
    tries: 'record 3 says v2, and its own hash is recomputed to match',
    verify: {
      code: 1,
      out: [
        "FILE:4: record 4 chain_broken: record 4's prev_hash is not the hash of record 3: that record was replaced",
      ],
    },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: ['10:15:30.123 checkout user-2 → v2 (init)'] },
  },
  {
    file: 'sequence-gap.ndjson',
    kind: 'chain',
    tries: 'record 3 deleted and every hash after it recomputed: only the sequence tells',
    verify: { code: 1, out: ['FILE:3: record 4 deleted: records 3..3 are missing before record 4'] },
    replay: {
      code: 1,
      out: [
        ...TABLE,
        '3 subjects in 1 machine, from 6 state records',
        '1 conflict:',
        '  checkout user-2 version 1: gap: versions 1..1 are missing',
      ],
    },
    tail: { code: 0, out: TAILED.filter((l) => l !== TAILED[2]) },
  },
  {
    file: 'same-stream-id-twice.ndjson',
    kind: 'chain',
    tries:
      "another writer's run under the same stream id, with its own event ids, in which user-0 ends retired",
    verify: {
      code: 1,
      out: ['FILE:10: record 1 reordered: record 1 is out of place: record 10 was expected here'],
    },
    // Each place of the stream holds two records with different ids: every version they claim
    // is a conflict, which the later @timestamp (here the same), then the larger event.id, wins.
    replay: {
      code: 1,
      out: [
        'machine   state    subjects',
        'checkout  canary          2',
        'checkout  retired         1',
        '3 subjects in 1 machine, from 14 state records',
        '7 conflicts:',
        ...[
          ['user-0', 1, 1],
          ['user-0', 2, 4],
          ['user-0', 3, 8],
          ['user-1', 1, 2],
          ['user-1', 2, 6],
          ['user-2', 1, 3],
          ['user-2', 2, 7],
        ].map(([subject, version, line]) => {
          const [base, other] = SAME_STREAM_IDS.map((ids) => ids[Number(line) - 1]!);
          const [kept, lost] = base! > other! ? [base, other] : [other, base];
          return `  checkout ${subject} version ${version}: conflict: two different records claim version ${version}; kept ${kept} over ${lost}`;
        }),
      ],
    },
    // Known by stream and sequence, the second run's records are taken for the first's, read again.
    tail: { code: 0, out: TAILED },
  },
  {
    file: 'record-after-close.ndjson',
    kind: 'chain',
    tries: 'a record appended after the closing checkpoint, correctly chained',
    verify: {
      code: 1,
      out: ["FILE:10: record 10 after_close: record 10 follows the stream's closing checkpoint"],
    },
    replay: {
      code: 0,
      out: [...TABLE, '3 subjects in 1 machine, from 8 state records'],
    },
    tail: { code: 0, out: [...TAILED, TAILED[6]!] },
  },
  {
    file: 'previous-stream-mistyped.ndjson',
    kind: 'chain',
    tries: 'record 1 with "audit.previous": "the stream before", re-hashed',
    // Taken for absent, it would pass record 1 off as a stream that continues nothing.
    verify: {
      code: 1,
      out: [
        'FILE:1: malformed: audit.previous: expected { stream, sequence, hash } of the stream before, got the string "the stream before"',
        '(and 1 more problem in other streams or lines)',
      ],
    },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: TAILED },
  },

  // Time and actions nobody wrote.
  {
    file: 'unknown-action.ndjson',
    kind: 'time and action',
    tries: 'a state record whose action is "state-teleport", re-hashed: a newer writer, or a forger',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    tail: {
      code: 0,
      out: ['11:15:30.123 checkout user-0 legacy → canary (start-canary, 1h 0m) [state-teleport]'],
    },
  },
  {
    file: 'record-from-the-future.ndjson',
    kind: 'time and action',
    tries: 'the promotion stamped 2999-01-01, re-hashed',
    verify: { code: 0, out: [OK] },
    replay: { code: 0, out: REPLAYED },
    tail: { code: 0, out: ['00:00:00.000 checkout user-0 canary → v2 (promote, 1d 0h)'] },
  },
  {
    file: 'timestamp-not-a-time.ndjson',
    kind: 'time and action',
    tries: 'an @timestamp of "yesterday", and one that is a number, re-hashed',
    verify: { code: 0, out: [OK] },
    replay: replayedWithout('user-1', timestamp.replay),
    tail: { code: 0, out: ['yesterday checkout user-0 → legacy (init)'], err: [timestamp.tail] },
  },
];
