import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

/** An Ed25519 key as a KeyObject, or PEM / DER text or bytes. */
export type KeyInput = KeyObject | string | Buffer;

/** What a checkpoint signature covers: the stream, its position and the head of the chain. */
export function checkpointPayload(
  stream: string,
  sequence: number,
  count: number,
  head: string,
  final: boolean,
): Buffer {
  return Buffer.from(`flagstate-checkpoint\n${stream}\n${sequence}\n${count}\n${head}\n${final}`, 'utf8');
}

function asPrivateKey(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? key : createPrivateKey(key);
  if (k.type !== 'private' || k.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('signingKey must be an Ed25519 private key');
  }
  return k;
}

export function asPublicKey(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? key : createPublicKey(key);
  const pub = k.type === 'private' ? createPublicKey(k) : k;
  if (pub.asymmetricKeyType !== 'ed25519') throw new TypeError('the checkpoint key must be an Ed25519 key');
  return pub;
}

/** First 16 hex digits of the SHA-256 of the public key's SPKI DER: names the key in records. */
export function keyId(key: KeyInput): string {
  const der = asPublicKey(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Signs checkpoints with Ed25519 through `node:crypto`. */
export function createCheckpointSigner(key: KeyInput): { keyId: string; sign(payload: Buffer): string } {
  const privateKey = asPrivateKey(key);
  const id = keyId(privateKey);
  return { keyId: id, sign: (payload) => sign(null, payload, privateKey).toString('base64') };
}

export function verifyCheckpointSignature(payload: Buffer, signature: string, key: KeyObject): boolean {
  try {
    return verify(null, payload, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
