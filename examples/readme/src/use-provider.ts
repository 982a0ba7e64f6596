import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';

const provider = new StateMachineProvider({
  // A flagd document with machines; use fileSource('flags.yaml') to watch a file.
  source: {
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: { legacy: 'old', canary: 'new', v2: 'new' },
        defaultVariant: 'legacy',
        targeting: {
          fractional: [
            ['legacy', 50],
            ['v2', 50],
          ],
        },
      },
    },
    machines: {
      checkout: {
        version: 1,
        flags: ['checkout'],
        initial: 'legacy',
        enforcement: 'enforce',
        states: { legacy: {}, canary: { minDwell: '1h' }, v2: {} },
        transitions: [
          { from: 'legacy', to: 'canary', name: 'start-canary' },
          { from: 'canary', to: 'v2', name: 'promote' },
        ],
      },
    },
  },
  audit: createAuditLog({ sinks: [memorySink()] }),
});
await OpenFeature.setProviderAndWait(provider);
const client = OpenFeature.getClient();

for (const user of ['user-1', 'user-2', 'user-3', 'user-4']) {
  await client.getStringValue('checkout', 'old', { targetingKey: user }); // first sight: legacy or v2
  const d = await client.getStringDetails('checkout', 'old', { targetingKey: user });
  console.log(user, d.variant, d.flagMetadata['flagstate.held'] ?? '');
}
await OpenFeature.close();
