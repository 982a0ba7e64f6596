// The hook on real providers from npm, each driven through one rollout and one illegal move:
// what each reports as a variant decides the `stateFrom` it needs (README: tested providers).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestData } from '@launchdarkly/node-server-sdk/integrations';
import { LaunchDarklyProvider } from '@launchdarkly/openfeature-node-server';
import { EnvVarProvider } from '@openfeature/env-var-provider';
import { FlagdProvider } from '@openfeature/flagd-provider';
import {
  type EvaluationContext,
  InMemoryProvider,
  MultiProvider,
  OpenFeature,
} from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { driveRollout, expectedRollout, providerRollout } from './fixtures/provider-rollout.js';

afterEach(async () => {
  await OpenFeature.clearProviders();
});

const SILENT = { error() {}, warn() {}, info() {}, debug() {} };

/** An offline flagd flag file whose targeting serves the context's `stage` as the variant. */
function flagdFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flagstate-flagd-')), 'flags.json');
  const variants = { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' };
  writeFileSync(
    path,
    JSON.stringify({
      flags: {
        checkout: {
          state: 'ENABLED',
          variants,
          defaultVariant: 'legacy',
          targeting: { if: [{ in: [{ var: 'stage' }, Object.keys(variants)] }, { var: 'stage' }, 'legacy'] },
        },
      },
    }),
  );
  return path;
}

/** LaunchDarkly's TestData: variation 0 legacy, 1 canary, 2 v2, 3 beta (no state), by the context's `stage`. */
function launchDarkly() {
  const td = new TestData();
  const stages = ['legacy', 'canary', 'v2', 'beta'];
  let flag = td
    .flag('checkout')
    .variations(...stages)
    .fallthroughVariation(0);
  for (const [i, stage] of stages.entries()) flag = flag.ifMatch('user', 'stage', stage).thenReturn(i);
  void td.update(flag);
  return new LaunchDarklyProvider('sdk-key', {
    updateProcessor: td.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger: SILENT,
  });
}

const LD_BY_INDEX = { variant: { '0': 'legacy', '1': 'canary', '2': 'v2' } } as const;

describe('the hook on real providers', () => {
  it('flagd in-process (offline file): variants are state names, the default stateFrom', async () => {
    const provider = new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: flagdFile() });
    const run = await providerRollout({ provider, flag: 'checkout' });
    await driveRollout(run, 'user-1');
    expect(await run.moves()).toEqual(expectedRollout('flagd', ['legacy', 'canary', 'v2', 'canary']));
    expect(run.warnings).toEqual([]);
    await run.expectReplayEqualsStore();
    await run.close();
  });

  it('LaunchDarkly (TestData): variants are variation indices, mapped with stateFrom: { variant }', async () => {
    const run = await providerRollout({ provider: launchDarkly(), flag: 'checkout', stateFrom: LD_BY_INDEX });
    await driveRollout(run, 'user-1');
    expect(await run.moves()).toEqual(expectedRollout('launchdarkly-node-provider', ['0', '1', '2', '1']));
    expect(run.warnings).toEqual([]);

    // legacy -> beta (variation 3, no state) -> v2: judged from legacy, v2 skips canary.
    for (const stage of ['legacy', 'beta', 'beta', 'v2']) await run.evaluate('user-2', stage);
    expect((await run.moves()).slice(4)).toEqual([
      expect.objectContaining({ action: 'state-init', to: 'legacy', subjectVersion: 1 }),
      expect.objectContaining({
        action: 'state-transition-illegal',
        from: 'legacy',
        to: '3',
        reason: 'unknown_state',
        subjectVersion: 2,
      }),
      expect.objectContaining({
        action: 'state-transition-illegal',
        from: '3',
        to: 'v2',
        reason: 'not_allowed',
        subjectVersion: 3,
      }),
    ]);
    const skipped = (await run.records()).at(-1)!;
    expect(skipped.message).toBe('checkout: user-2 3 -> v2 is not allowed (not_allowed, judged from legacy)');
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain(
      'provider "launchdarkly-node-provider" reported variant "3" and value "beta" for flag "checkout", which gives "3", not a state of the machine',
    );
    expect(run.warnings[0]).toContain('stateFrom: { variant: { "3": "<state>" } }');
    await run.expectReplayEqualsStore();
    await run.close();
  });

  it('LaunchDarkly with the default stateFrom: one warning naming the provider, the flag and the fix', async () => {
    const run = await providerRollout({ provider: launchDarkly(), flag: 'checkout' });
    await run.evaluate('user-1', 'legacy');
    await run.evaluate('user-2', 'canary');
    expect((await run.moves()).map((m) => [m.action, m.to, m.reason])).toEqual([
      ['state-transition-illegal', '0', 'unknown_state'],
      ['state-transition-illegal', '1', 'unknown_state'],
    ]);
    expect(run.warnings).toEqual([
      'flagstate: machine "checkout": provider "launchdarkly-node-provider" reported variant "0" and value "legacy" for flag "checkout", which gives "0", not a state of the machine (states: legacy, canary, v2): such subjects are recorded as in an unknown state; set stateFrom: "value" on the machine (the value is a state) (logged once per machine)',
    ]);
    await run.close();
  });

  it('LaunchDarkly mapped by value: stateFrom: { value }', async () => {
    const stateFrom = { value: { legacy: 'legacy', canary: 'canary', v2: 'v2' } };
    const run = await providerRollout({ provider: launchDarkly(), flag: 'checkout', stateFrom });
    await driveRollout(run, 'user-1');
    expect(await run.moves()).toEqual(expectedRollout('launchdarkly-node-provider', ['0', '1', '2', '1']));
    await run.close();
  });

  it('environment variables: no variant, so stateFrom: "value"', async () => {
    const serve = (stage: string) => {
      process.env.FLAGSTATE_ROLLOUT = stage;
    };
    try {
      const run = await providerRollout({
        provider: new EnvVarProvider(),
        flag: 'flagstate-rollout',
        stateFrom: 'value',
        serve,
      });
      await driveRollout(run, 'user-1');
      expect(await run.moves()).toEqual(
        expectedRollout('environment variable', [undefined, undefined, undefined, undefined]),
      );
      expect(run.warnings).toEqual([]);
      await run.expectReplayEqualsStore();
      await run.close();

      const unmapped = await providerRollout({
        provider: new EnvVarProvider(),
        flag: 'flagstate-rollout',
        serve,
      });
      await unmapped.evaluate('user-1', 'legacy');
      await unmapped.evaluate('user-2', 'canary');
      expect(await unmapped.moves()).toEqual([]);
      expect(unmapped.hook.stats().missingState).toBe(2);
      expect(unmapped.warnings).toEqual([
        'flagstate: machine "checkout": provider "environment variable" reported no variant and value "legacy" for flag "flagstate-rollout", so the evaluation gives no state and is not tracked (counted in stats().missingState); set stateFrom: "value" on the machine (the value is a state) (logged once per machine)',
      ]);
      await unmapped.close();
    } finally {
      delete process.env.FLAGSTATE_ROLLOUT;
    }
  });

  it("OpenFeature's MultiProvider: the first provider that has the flag answers, with its variant", async () => {
    // Without a CHECKOUT variable the environment provider does not have the flag: the next one answers.
    delete process.env.CHECKOUT;
    const inMemory = new InMemoryProvider({
      checkout: {
        variants: { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' },
        defaultVariant: 'legacy',
        disabled: false,
        contextEvaluator: (ctx: EvaluationContext) => String(ctx.stage),
      },
    } as never);
    const provider = new MultiProvider([{ provider: new EnvVarProvider() }, { provider: inMemory }]);
    const run = await providerRollout({ provider, flag: 'checkout' });
    await driveRollout(run, 'user-1');
    expect(await run.moves()).toEqual(
      expectedRollout(provider.metadata.name, ['legacy', 'canary', 'v2', 'canary']),
    );
    expect(run.warnings).toEqual([]);
    await run.expectReplayEqualsStore();
    await run.close();
  });
});
