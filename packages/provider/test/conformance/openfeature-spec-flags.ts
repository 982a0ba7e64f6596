import { resolve } from 'node:path';
import { DATA_DIR, readJsonObject } from './suite-config.js';

/** A flag of the OpenFeature spec's test-flags.json. */
interface SpecFlag {
  readonly variants: Record<string, unknown>;
  readonly defaultVariant?: string | null;
  readonly disabled?: boolean;
  readonly flagMetadata?: Record<string, unknown> | null;
  /** Targeting as a CEL expression: it yields a variant name, '' for "no variant". */
  readonly contextEvaluator?: string;
}

/** A hand translation of one CEL `contextEvaluator` into flagd targeting (JSON Logic). */
interface Translation {
  /** The CEL expression exactly as test-flags.json has it: a changed expression must be retranslated. */
  readonly cel: string;
  readonly targeting: Record<string, unknown>;
}

// CEL's `''` ("no variant") becomes `null`: flagd then serves the default variant with reason
// DEFAULT. CEL compares without coercion, hence `===`. A missing attribute makes CEL fail the
// expression (no variant); in JSON Logic it reads as null, which compares unequal, so the result
// is the same.
const TARGETED_ZERO: Translation = {
  // email == 'ballmer@macrosoft.com' ? 'zero' : ''
  cel: "email == 'ballmer@macrosoft.com' ? 'zero' : ''",
  targeting: { if: [{ '===': [{ var: 'email' }, 'ballmer@macrosoft.com'] }, 'zero', null] },
};

/** Every CEL `contextEvaluator` of test-flags.json, translated by hand, by flag key. */
export const CEL_TRANSLATIONS: Readonly<Record<string, Translation>> = {
  'boolean-targeted-zero-flag': TARGETED_ZERO,
  'string-targeted-zero-flag': TARGETED_ZERO,
  'integer-targeted-zero-flag': TARGETED_ZERO,
  'float-targeted-zero-flag': TARGETED_ZERO,
  'object-targeted-zero-flag': TARGETED_ZERO,
  'complex-targeted': {
    cel: "!customer && email == 'ballmer@macrosoft.com' && age > 10 ? 'internal' : ''",
    // `!customer` is defined only for a boolean in CEL, so it holds exactly when customer is
    // false (`=== false`, not JSON Logic's `!`, which is also true for a missing attribute);
    // `age > 10` on a missing age is false in JSON Logic and an error (no variant) in CEL.
    targeting: {
      if: [
        {
          and: [
            { '===': [{ var: 'customer' }, false] },
            { '===': [{ var: 'email' }, 'ballmer@macrosoft.com'] },
            { '>': [{ var: 'age' }, 10] },
          ],
        },
        'internal',
        null,
      ],
    },
  },
};

/**
 * Flags evaluation.feature evaluates that test-flags.json lacks. `context-aware` is defined as
 * the OpenFeature SDKs' own e2e suites define it (e.g. go-sdk's in-memory e2e flags): INTERNAL
 * exactly when fn is "Sulisław", ln "Świętopełk", age 29 and customer false, else the default
 * variant, EXTERNAL, with reason DEFAULT.
 */
export const ADDED_FLAGS: Readonly<Record<string, Record<string, unknown>>> = {
  'context-aware': {
    state: 'ENABLED',
    variants: { internal: 'INTERNAL', external: 'EXTERNAL' },
    defaultVariant: 'external',
    targeting: {
      if: [
        {
          and: [
            { '===': [{ var: 'fn' }, 'Sulisław'] },
            { '===': [{ var: 'ln' }, 'Świętopełk'] },
            { '===': [{ var: 'age' }, 29] },
            { '===': [{ var: 'customer' }, false] },
          ],
        },
        'internal',
        null,
      ],
    },
  },
};

/**
 * test-flags.json as a flagd document: `disabled` becomes `state`, `flagMetadata` becomes
 * `metadata` (null: none), each `contextEvaluator` is replaced by its translation above.
 */
export function openFeatureSpecDocument(
  path = resolve(DATA_DIR, 'openfeature-spec/test-flags.json'),
): Record<string, unknown> {
  const spec = readJsonObject(path) as Record<string, SpecFlag>;
  const flags: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(spec)) {
    const translation = CEL_TRANSLATIONS[key];
    if (flag.contextEvaluator !== undefined && translation?.cel !== flag.contextEvaluator) {
      throw new Error(
        `${key}: no translation of its contextEvaluator ${JSON.stringify(flag.contextEvaluator)}`,
      );
    }
    if (flag.contextEvaluator === undefined && translation !== undefined) {
      throw new Error(`${key}: translated, but test-flags.json gives it no contextEvaluator`);
    }
    flags[key] = {
      state: flag.disabled === true ? 'DISABLED' : 'ENABLED',
      variants: flag.variants,
      ...(flag.defaultVariant === undefined ? {} : { defaultVariant: flag.defaultVariant }),
      ...(flag.flagMetadata ? { metadata: flag.flagMetadata } : {}),
      ...(translation ? { targeting: translation.targeting } : {}),
    };
  }
  for (const key of Object.keys(CEL_TRANSLATIONS)) {
    if (!(key in spec)) throw new Error(`${key}: translated, but test-flags.json has no such flag`);
  }
  for (const [key, flag] of Object.entries(ADDED_FLAGS)) {
    if (key in flags) throw new Error(`${key}: test-flags.json now defines it; drop the added one`);
    flags[key] = flag;
  }
  return { flags };
}
