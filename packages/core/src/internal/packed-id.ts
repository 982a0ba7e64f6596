const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An `event.id` that is a lower-case UUID, as three numbers of 13, 13 and 6 hex digits, which
 * compare as the text does. Replay keeps and sends ids this way: a string per record, made and
 * dropped for every record of every subject, would be most of what a long replay allocates.
 * Anything else is kept as text (the first number is then -1).
 */
export function packId(id: string): readonly [number, number, number] | undefined {
  if (!UUID.test(id)) return undefined;
  const hex = id.replaceAll('-', '');
  return [
    Number.parseInt(hex.slice(0, 13), 16),
    Number.parseInt(hex.slice(13, 26), 16),
    Number.parseInt(hex.slice(26), 16),
  ];
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
