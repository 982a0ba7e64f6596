import { createHmac } from 'node:crypto';

/** The shortest HMAC key accepted: 128 bits, below which a pseudonym can be brute-forced back. */
export const MIN_PSEUDONYM_KEY_BYTES = 16;

export interface PseudonymizeOptions {
  /**
   * The HMAC key: at least 16 bytes (a string counts its UTF-8 bytes). The same key gives the
   * same pseudonym in every process. Only subject ids are pseudonymised
   * (`feature_flag.context.id`, `state_change.subject`); labels are copied as they are.
   */
  readonly key: string | Buffer | Uint8Array;
}

/**
 * A function that replaces a subject id by its hex HMAC-SHA-256 under `key`. A key of another
 * type, or one shorter than 16 bytes, is refused here, at construction, rather than failing
 * every record later.
 */
export function createPseudonymizer(options: PseudonymizeOptions): (id: string) => string {
  const given = (options as { key?: unknown } | undefined)?.key;
  let key: Buffer;
  if (typeof given === 'string') key = Buffer.from(given, 'utf8');
  else if (given instanceof Uint8Array) key = Buffer.from(given);
  else {
    throw new TypeError(
      `pseudonymize.key must be a string or a Buffer, got ${given === null ? 'null' : typeof given}`,
    );
  }
  if (key.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new RangeError(
      `pseudonymize.key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes, got ${key.length}: a short key lets anyone recover subject ids from their pseudonyms`,
    );
  }
  return (id) => createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
