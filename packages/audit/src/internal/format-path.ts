const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['machines', 'checkout', 'transitions', 2, 'to']` -> `machines.checkout.transitions[2].to` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(document)';
}
