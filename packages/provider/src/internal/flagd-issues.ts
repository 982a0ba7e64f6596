import type { DefinitionIssue } from '@flagstate/core';

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

const PREFIX = 'invalid flagd flag configuration: ';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

/** `/flags/a/targeting` -> `flags.a.targeting` */
function toPath(instancePath: string, prefix: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const out = parts.reduce(
    (acc, p) =>
      /^\d+$/.test(p)
        ? `${acc}[${p}]`
        : /^[A-Za-z_$][\w$-]*$/.test(p)
          ? `${acc}.${p}`
          : `${acc}[${JSON.stringify(p)}]`,
    prefix,
  );
  return out.startsWith('.') ? out.slice(1) : out || '(document)';
}

/**
 * Turns flagd-core's schema failure (a dump of every ajv branch tried) into one issue per
 * place: the deepest errors only, duplicates dropped, ajv wording turned into sentences.
 */
export function flagdIssues(error: unknown, prefix = ''): DefinitionIssue[] {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.startsWith(PREFIX)) return [{ path: prefix || '(document)', message }];
  let errors: AjvError[];
  try {
    errors = JSON.parse(message.slice(PREFIX.length)) as AjvError[];
  } catch {
    return [{ path: prefix || '(document)', message }];
  }
  // A union's failure at /a is explained by its branches' failures below /a: keep the deepest.
  const deep = errors.filter(
    (e) =>
      e.keyword !== 'anyOf' &&
      e.keyword !== 'oneOf' &&
      !errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)),
  );
  const chosen = deep.length > 0 ? deep : errors;
  const seen = new Set<string>();
  const issues: DefinitionIssue[] = [];
  for (const e of chosen) {
    const path = toPath(e.instancePath, prefix);
    const text =
      e.keyword === 'additionalProperties'
        ? `unknown key or operator "${String(e.params?.additionalProperty)}"`
        : e.keyword === 'required'
          ? `missing "${String(e.params?.missingProperty)}"`
          : e.keyword === 'enum'
            ? `expected one of ${JSON.stringify(e.params?.allowedValues)}`
            : e.keyword === 'type'
              ? `expected ${String(e.params?.type)
                  .split(',')
                  .map((t) => TYPE_NAMES[t] ?? t)
                  .join(' or ')}`
              : (e.message ?? e.keyword);
    const key = `${path}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message: text });
  }
  return issues;
}
