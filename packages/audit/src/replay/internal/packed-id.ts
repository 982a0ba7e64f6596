/**
 * An `event.id` that is a lower-case UUID, as three numbers of 13, 13 and 6 hex digits, which
 * compare as the text does. Replay keeps and sends ids this way: a string per record, made and
 * dropped for every record of every subject, would be most of what a long replay allocates.
 * Anything else is kept as text (the first number is then -1). Read a character at a time,
 * without a regular expression or slices: replay packs every state record's id.
 */
export function packId(id: string): readonly [number, number, number] | undefined {
  return packIdInto(id, scratch, 0) ? [scratch[0]!, scratch[1]!, scratch[2]!] : undefined;
}

const scratch = new Float64Array(3);

/** `packId` written into `out` from `at`, without an array per id; false (and `out` as it was) when the id is not a UUID. */
export function packIdInto(id: string, out: Float64Array, at: number): boolean {
  if (id.length !== 36) return false;
  let a = 0;
  let b = 0;
  let c = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    const ch = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (ch !== 0x2d) return false;
      continue;
    }
    const d = ch >= 0x30 && ch <= 0x39 ? ch - 0x30 : ch >= 0x61 && ch <= 0x66 ? ch - 0x57 : -1;
    if (d < 0) return false;
    if (digits < 13) a = a * 16 + d;
    else if (digits < 26) b = b * 16 + d;
    else c = c * 16 + d;
    digits++;
  }
  out[at] = a;
  out[at + 1] = b;
  out[at + 2] = c;
  return true;
}

export function unpackId(a: number, b: number, c: number): string {
  const hex = `${a.toString(16).padStart(13, '0')}${b.toString(16).padStart(13, '0')}${c.toString(16).padStart(6, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An id as kept: packed (`a` >= 0) or `text`. */
export interface IdKey {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly text: string | undefined;
}

/** Orders two ids as their text would order. */
export function compareIds(x: IdKey, y: IdKey): number {
  if (x.a >= 0 && y.a >= 0) return x.a - y.a || x.b - y.b || x.c - y.c;
  const s = x.a >= 0 ? unpackId(x.a, x.b, x.c) : x.text!;
  const t = y.a >= 0 ? unpackId(y.a, y.b, y.c) : y.text!;
  return s < t ? -1 : s > t ? 1 : 0;
}
