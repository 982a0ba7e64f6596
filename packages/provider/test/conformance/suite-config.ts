import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The copied conformance data (see data/ and README.md). */
export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export interface FlagdEvaluatorSuite {
  readonly featuresDir: string;
  readonly flagsFile: string;
  /** True when the features come from FLAGSTATE_FEATURES_DIR rather than the copied data. */
  readonly external: boolean;
}

/**
 * Where the flagd evaluator suite comes from: FLAGSTATE_FEATURES_DIR (every `*.feature` in it)
 * and FLAGSTATE_FLAGS_FILE when set, else the copied flagd-testbed data.
 */
export function flagdEvaluatorSuite(env: NodeJS.ProcessEnv = process.env): FlagdEvaluatorSuite {
  const dir = env.FLAGSTATE_FEATURES_DIR;
  const flags = env.FLAGSTATE_FLAGS_FILE;
  return {
    featuresDir: dir ? resolve(dir) : resolve(DATA_DIR, 'flagd-evaluator/gherkin'),
    flagsFile: flags ? resolve(flags) : resolve(DATA_DIR, 'flagd-evaluator/flags/testkit-flags.json'),
    external: Boolean(dir),
  };
}

/** A JSON document as an object. */
export function readJsonObject(path: string): Record<string, unknown> {
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${path}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}
