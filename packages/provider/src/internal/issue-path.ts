const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `['flags', 'a', 'targeting', 0]` -> `flags.a.targeting[0]`, as every issue names its place. */
export function issuePath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(document)';
}
