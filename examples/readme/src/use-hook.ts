import { createAuditLog, memorySink } from '@flagstate/audit';
import { parseMachines } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';

const machines = parseMachines({
  machines: {
    checkout: {
      version: 1,
      flags: ['checkout'],
      initial: 'legacy',
      states: { legacy: {}, canary: {}, v2: {} },
      transitions: [
        { from: 'legacy', to: 'canary' },
        { from: 'canary', to: 'v2' },
      ],
    },
  },
});
const sink = memorySink(); // or fileSink('audit.ndjson'), or the default: NDJSON on stdout
const audit = createAuditLog({ sinks: [sink] });
OpenFeature.addHooks(new StateTransitionHook({ machines, audit }));

let variant = 'legacy';
await OpenFeature.setProviderAndWait(
  new InMemoryProvider({
    checkout: {
      variants: { legacy: 'old', canary: 'new', v2: 'new' },
      defaultVariant: 'legacy',
      disabled: false,
      contextEvaluator: () => variant,
    },
  }),
);
const client = OpenFeature.getClient();
for (variant of ['legacy', 'canary', 'legacy'])
  await client.getStringValue('checkout', 'old', { targetingKey: 'user-42' });

await audit.close();
for (const r of sink.records.filter((r) => r.state_change)) {
  console.log(r.event.action, r.state_change?.from ?? '-', '->', r.state_change?.to);
}
// state-init - -> legacy
// state-transition legacy -> canary
// state-transition-illegal canary -> legacy
