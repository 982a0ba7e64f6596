/** Bytes the canonical scanner must not meet: a backslash, or a control character other than the newline. */
const SPECIAL = [...Array.from({ length: 0x20 }, (_, b) => b).filter((b) => b !== 0x0a), 0x5c];

/**
 * Whether ASCII bytes hold none of SPECIAL, so that each of their lines can be scanned without
 * checking its text again: each byte is looked for with Buffer's native search, which takes a
 * block of lines in less time than a regex takes to look at its text.
 */
export function isPlainAscii(bytes: Buffer): boolean {
  for (let i = 0; i < SPECIAL.length; i++) if (bytes.indexOf(SPECIAL[i]!) !== -1) return false;
  return true;
}
