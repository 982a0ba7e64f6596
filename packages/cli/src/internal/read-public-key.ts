import { createPublicKey, type KeyObject } from 'node:crypto';
import { UsageError } from '../usage-error.js';
import { readTextFile } from './read-text-file.js';

/**
 * Reads the Ed25519 key that checks checkpoint signatures (a private key's public half is
 * taken). A file that is not such a key is bad usage (exit 2), not a failed verification.
 */
export function readPublicKey(path: string): KeyObject {
  const pem = readTextFile(path);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new UsageError(`${path}: not a PEM public or private key (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new UsageError(
      `${path}: an ${key.asymmetricKeyType ?? 'unknown'} key; checkpoints are signed with Ed25519`,
    );
  }
  return key;
}
