import { createHmac } from 'node:crypto';

export interface PseudonymizeOptions {
  /** The HMAC key. The same key gives the same pseudonym in every process. */
  readonly key: string | Buffer;
}

/** A function that replaces a subject id by its hex HMAC-SHA-256 under `key`. */
export function createPseudonymizer(options: PseudonymizeOptions): (id: string) => string {
  const key = typeof options.key === 'string' ? Buffer.from(options.key, 'utf8') : options.key;
  if (key.length === 0) throw new TypeError('pseudonymize.key must not be empty');
  return (id) => createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
