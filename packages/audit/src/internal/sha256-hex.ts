import * as crypto from 'node:crypto';

/** `crypto.hash` (Node 20.12+) hashes in one call, twice as fast as a Hash object on short input. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array) => string }).hash;

/** Hex SHA-256 of a string's UTF-8 bytes, or of bytes. */
export function sha256Hex(text: string | Uint8Array): string {
  return oneShot === undefined
    ? crypto.createHash('sha256').update(text).digest('hex')
    : oneShot('sha256', text);
}
