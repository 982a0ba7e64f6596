import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';

// Run it twice: the second run is a new process that knows where user-42 was.
const provider = new StateMachineProvider({
  source: {
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: { legacy: 'old', canary: 'new', v2: 'new' },
        defaultVariant: 'legacy',
        targeting: { var: 'wants' },
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
          { from: 'legacy', to: 'canary' },
          { from: 'canary', to: 'v2' },
        ],
      },
    },
  },
  // Audit files and a state snapshot: states, versions and bake times survive restarts and crashes.
  durable: process.env.STATE_DIR ?? './flagstate-state',
});
await OpenFeature.setProviderAndWait(provider);
const client = OpenFeature.getClient();

const known = provider.store.get('checkout', 'user-42');
const wants = known === undefined ? 'canary' : 'v2';
const d = await client.getStringDetails('checkout', 'old', { targetingKey: 'user-42', wants });
console.log(`wants ${wants}, served ${d.variant}`, d.flagMetadata['flagstate.held'] ?? '');
await OpenFeature.close();
// 1st run: wants canary, served canary
// 2nd run: wants v2, served canary min_dwell   (the 1 h bake time counts from the 1st run)
