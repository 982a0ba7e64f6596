import * as crypto from 'node:crypto';

/** `crypto.hash` (Node 20.12+) hashes in one call, twice as fast as a Hash object on short input. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return oneShot === undefined
    ? crypto.createHash('sha256').update(text).digest('hex')
    : oneShot('sha256', text);
}
