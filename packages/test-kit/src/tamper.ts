import { createHash, generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';

// Tampering recomputes hashes the way an editor with any RFC 8785 library would: with
// `canonicalize`, not flagstate's own serialiser, so that verify is checked against an
// independent implementation of the chain (`event.hash` = SHA-256 of prev + "\n" + JCS).
// biome-ignore lint/suspicious/noExplicitAny: records are edited as plain JSON.
function hashRecord(prevHash: string, record: any): string {
  const { hash: _omit, ...event } = record.event;
  const text = canonicalize({ ...record, event }) ?? '';
  return createHash('sha256').update(prevHash).update('\n').update(text).digest('hex');
}

export const ed25519 = () => generateKeyPairSync('ed25519');

export interface Tampering {
  readonly lines: string[];
  /** The 1-based line that verify must name. */
  readonly line: number;
  readonly reason: string;
}

/** The ways `verifyAudit` tells tampering apart, each applied to a copy of a closed stream's lines. */
export const tamperings: Readonly<Record<string, (lines: readonly string[]) => Tampering>> = {
  edited: (lines) => {
    const out = [...lines];
    const r = JSON.parse(out[6]!);
    r.state_change.to = 'retired';
    out[6] = JSON.stringify(r);
    return { lines: out, line: 7, reason: 'edited' };
  },
  rehashed: (lines) => {
    // An editor who recomputes the edited record's own hash still breaks the next record's link.
    const out = [...lines];
    const r = JSON.parse(out[6]!);
    r.state_change.to = 'retired';
    delete r.event.hash;
    r.event.hash = hashRecord(r.audit.prev_hash, r);
    out[6] = JSON.stringify(r);
    return { lines: out, line: 8, reason: 'chain_broken' };
  },
  deleted: (lines) => ({ lines: lines.filter((_, i) => i !== 6), line: 7, reason: 'deleted' }),
  reordered: (lines) => {
    const out = [...lines];
    [out[6], out[7]] = [out[7]!, out[6]!];
    return { lines: out, line: 7, reason: 'reordered' };
  },
  duplicated: (lines) => ({
    lines: [...lines.slice(0, 7), lines[6]!, ...lines.slice(7)],
    line: 8,
    reason: 'duplicated',
  }),
  truncated: (lines) => ({ lines: lines.slice(0, -3), line: lines.length - 3, reason: 'truncated' }),
  malformed: (lines) => ({
    lines: [...lines.slice(0, 4), '{"event": {"action": "state-init"', ...lines.slice(4)],
    line: 5,
    reason: 'malformed',
  }),
  'after close': (lines) => {
    // A record chained properly onto the closing checkpoint: nothing may follow it.
    const last = JSON.parse(lines.at(-1)!);
    const r = JSON.parse(lines[6]!);
    r.event.sequence = last.event.sequence + 1;
    r.audit.prev_hash = last.event.hash;
    delete r.event.hash;
    r.event.hash = hashRecord(r.audit.prev_hash, r);
    return { lines: [...lines, JSON.stringify(r)], line: lines.length + 1, reason: 'after_close' };
  },
};

/**
 * A signed stream cut after `keep` lines and closed again with an unsigned checkpoint whose
 * chain is recomputed: what someone without the signing key can forge.
 */
export function forgeUnsignedClose(lines: readonly string[], keep: number): Tampering {
  const kept = lines.slice(0, keep);
  const head = JSON.parse(kept.at(-1)!).event.hash as string;
  const close = JSON.parse(lines.at(-1)!);
  close.event.sequence = keep + 1;
  close.audit.prev_hash = head;
  close.audit.checkpoint = { count: keep, head, final: true };
  delete close.event.hash;
  close.event.hash = hashRecord(head, close);
  return { lines: [...kept, JSON.stringify(close)], line: keep + 1, reason: 'unsigned' };
}
