// Child process of durability.bench.ts: a service on the documented durable setup, writing one
// state change per evaluation until it is killed. Prints "ack <subject>" once each evaluation
// returned. `yield`: a macrotask every 64 evaluations, as requests arriving on sockets give;
// `tight`: never (the worst case for batched writes).
import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';

const [dir, durability, pacing] = process.argv.slice(2) as [string, 'batched' | 'strict', 'yield' | 'tight'];
const provider = new StateMachineProvider({
  source: {
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: { legacy: 'old', canary: 'new' },
        defaultVariant: 'legacy',
      },
    },
    machines: {
      checkout: {
        version: 1,
        flags: ['checkout'],
        initial: 'legacy',
        enforcement: 'enforce',
        states: { legacy: {}, canary: {} },
        transitions: [{ from: 'legacy', to: 'canary' }],
      },
    },
  },
  durable: { dir, durability },
});
await OpenFeature.setProviderAndWait(provider);
const client = OpenFeature.getClient();
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const subject = `u${process.pid}-${i}`;
  await client.getStringValue('checkout', 'old', { targetingKey: subject });
  process.stdout.write(`ack ${subject}\n`);
  if (pacing === 'yield' && i % 64 === 63) await new Promise((r) => setImmediate(r));
}
