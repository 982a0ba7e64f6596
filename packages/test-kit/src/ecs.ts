import { readFileSync } from 'node:fs';

// ECS field definitions, copied unchanged from elastic/ecs (see data/ecs/LICENSE).
const ecs = JSON.parse(readFileSync(new URL('../data/ecs/ecs-fields.json', import.meta.url), 'utf8')) as {
  fields: Record<string, { type: string; normalize?: string[]; allowed_values?: string[] }>;
};
const prefixes = new Set(
  Object.keys(ecs.fields).flatMap((f) => f.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'))),
);
/** Our own top-level objects, outside ECS on purpose (ECS custom fields). */
const OWN = new Set(['feature_flag', 'state_change', 'audit']);
/**
 * `feature_flag` is outside ECS but not ours to name: its fields are OpenTelemetry's
 * feature-flag attributes (semantic conventions 1.45, the names OpenFeature's Appendix D maps
 * evaluations to), nested. Each is a string; any other field under `feature_flag` is an
 * invented name and a problem.
 */
const FEATURE_FLAG_FIELDS: Readonly<Record<string, { type: string }>> = {
  'feature_flag.key': { type: 'keyword' },
  'feature_flag.provider.name': { type: 'keyword' },
  'feature_flag.result.variant': { type: 'keyword' },
  'feature_flag.result.reason': { type: 'keyword' },
  'feature_flag.context.id': { type: 'keyword' },
  'feature_flag.set.id': { type: 'keyword' },
  'feature_flag.version': { type: 'keyword' },
};
const FEATURE_FLAG_PREFIXES = new Set(
  Object.keys(FEATURE_FLAG_FIELDS).flatMap((f) => f.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'))),
);

const STRING_TYPES = new Set(['keyword', 'constant_keyword', 'match_only_text', 'text', 'wildcard', 'ip']);

function typeError(type: string, value: unknown): string | undefined {
  if (STRING_TYPES.has(type)) return typeof value === 'string' ? undefined : `expected a ${type} string`;
  if (type === 'long') return Number.isSafeInteger(value) ? undefined : 'expected a long (an integer)';
  if (type === 'float' || type === 'scaled_float' || type === 'double') {
    return typeof value === 'number' ? undefined : `expected a ${type}`;
  }
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : 'expected a boolean';
  if (type === 'date') {
    return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /T.*Z$/.test(value)
      ? undefined
      : 'expected an ISO 8601 date';
  }
  if (type === 'object' || type === 'flattened') {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? undefined
      : 'expected an object';
  }
  return `type ${type} is not checked by this test`;
}

/** Every problem of one record against ECS: types, arrays, allowed values, unknown fields. */
export function ecsProblems(record: unknown): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, path: string) => {
    const field = ecs.fields[path];
    if (field) {
      const isArray = field.normalize?.includes('array') === true;
      if (isArray !== Array.isArray(value)) {
        problems.push(`${path}: ${isArray ? 'must be an array (normalize: array)' : 'must not be an array'}`);
        return;
      }
      for (const v of isArray ? (value as unknown[]) : [value]) {
        const error = typeError(field.type, v);
        if (error) problems.push(`${path}: ${error}, got ${JSON.stringify(v)}`);
        if (field.allowed_values && !field.allowed_values.includes(v as string)) {
          problems.push(`${path}: ${JSON.stringify(v)} is not an allowed value`);
        }
      }
      if (path === 'labels') {
        for (const [k, v] of Object.entries(value as object)) {
          if (typeof v !== 'string') problems.push(`labels.${k}: label values are keywords (strings)`);
          if (k.includes('.')) problems.push(`labels.${k}: label keys contain no dots`);
        }
      }
      return;
    }
    if (path.split('.')[0] === 'feature_flag') {
      const own = FEATURE_FLAG_FIELDS[path];
      if (own !== undefined) {
        const error = typeError(own.type, value);
        if (error) problems.push(`${path}: ${error}, got ${JSON.stringify(value)}`);
        return;
      }
      if (!FEATURE_FLAG_PREFIXES.has(path)) {
        problems.push(`${path}: not an OpenTelemetry feature_flag attribute`);
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${path}: OpenTelemetry has attributes below it, so it must be an object`);
        return;
      }
      for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      return;
    }
    if (OWN.has(path.split('.')[0]!)) return;
    if (!prefixes.has(path)) {
      problems.push(`${path}: not an ECS field, and not under ${[...OWN].join(', ')}`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}: ECS has fields below it, so it must be an object`);
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  for (const [k, v] of Object.entries(record as object)) walk(v, k);

  const ds = (record as { data_stream: { type: string; dataset: string; namespace: string } }).data_stream;
  const bad = /[A-Z\\/*?"<>| ,#-]/;
  if (!['logs', 'metrics', 'traces', 'synthetics'].includes(ds.type))
    problems.push('data_stream.type: not a type');
  for (const part of ['dataset', 'namespace'] as const) {
    const v = ds[part];
    // Elastic's rules: lower case, none of \/*?"<>| ,# and -, not starting with - _ +, not . or ..
    if (bad.test(v) || Buffer.byteLength(v) > 100 || v === '' || /^[-_+]/.test(v) || v === '.' || v === '..')
      problems.push(`data_stream.${part}: breaks the naming rules`);
  }
  return problems;
}
