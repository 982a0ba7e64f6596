import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

/** One revision of the flag file, as the rollout script describes it. */
export interface FlagFileSpec {
  /** Share of users targeting sends to v2, 0..100; the others stay on legacy. */
  readonly v2Percent: number;
  /** Value of the `checkout-v2-allowed` gate that guards canary -> v2. */
  readonly gateOn: boolean;
  /** canary's bake time, in milliseconds. */
  readonly minDwellMs: number;
  /** Adds a transition to a state the machine does not declare: a document both validators refuse. */
  readonly illegal?: boolean;
}

/**
 * The flagd document with its `machines` section: flag `checkout` rolled out by `fractional`
 * targeting (v2 first, so that a user in the 10% is also in the 50%), the boolean gate, and the
 * `legacy -> canary -> v2` machine with its rollback, enforced.
 */
export function flagDocument(spec: FlagFileSpec): Record<string, unknown> {
  const transitions: Record<string, unknown>[] = [
    { from: 'legacy', to: 'canary', name: 'start-canary' },
    { from: 'canary', to: 'v2', name: 'promote', guard: { flag: 'checkout-v2-allowed' } },
    { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
  ];
  if (spec.illegal) transitions.push({ from: 'v2', to: 'v3', name: 'promote-v3' });
  const v2 = Math.min(100, Math.max(0, Math.round(spec.v2Percent)));
  return {
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' },
        defaultVariant: 'legacy',
        targeting: {
          fractional: [
            ['v2', v2],
            ['legacy', 100 - v2],
          ],
        },
      },
      'checkout-v2-allowed': {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: spec.gateOn ? 'on' : 'off',
      },
    },
    machines: {
      checkout: {
        version: 1,
        flags: ['checkout'],
        initial: 'legacy',
        enforcement: 'enforce',
        states: { legacy: {}, canary: { minDwell: formatMs(spec.minDwellMs) }, v2: {} },
        transitions,
      },
    },
  };
}

/** The document as YAML, with a header that says which step wrote it. */
export function flagFileText(spec: FlagFileSpec, comment: string): string {
  return `# ${comment}\n${stringify(flagDocument(spec))}`;
}

/**
 * Writes `text` next to `path` and renames it over `path`, as editors and GitOps tools do, so
 * that the provider's watcher never reads half a file.
 */
export async function writeAtomically(path: string, text: string, staging = `${path}.tmp`): Promise<void> {
  await writeFile(staging, text, 'utf8');
  await rename(staging, path);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
