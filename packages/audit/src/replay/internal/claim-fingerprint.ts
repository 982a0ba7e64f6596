import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../internal/sha256-hex.js';

/** The largest prime below 2^26: a product of two numbers below it is exact in a double. */
export const PRIME = 67_108_859;

/**
 * Two numbers below PRIME (26 bits each) that stand for a record's version and `event.id`, so
 * that replay can tell whether the records read at one place were one record, from sums, without
 * keeping their ids. Keyed with a secret of the replayer's own and cryptographic: an input
 * cannot be made whose sums match those of another unless its ids are the same.
 */
export function claimFingerprint(secret: string, version: number, id: string): [number, number] {
  const hex = sha256Hex(`${secret}\n${version}\n${id}`);
  return [Number.parseInt(hex.slice(0, 8), 16) % PRIME, Number.parseInt(hex.slice(8, 16), 16) % PRIME];
}

export const fingerprintSecret = (): string => randomBytes(16).toString('hex');
