import { createAuditLog, memorySink, replayAudit, verifyAudit } from '@flagstate/audit';
import { StateTransitionHook } from '@flagstate/hook';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';

const sink = memorySink();
const audit = createAuditLog({ sinks: [sink] });
const machines = {
  machines: {
    plan: {
      version: 1,
      flags: ['plan'],
      initial: 'free',
      states: { free: {}, pro: {} },
      transitions: [{ from: 'free', to: 'pro' }],
    },
  },
};
OpenFeature.addHooks(new StateTransitionHook({ machines, audit }));
await OpenFeature.setProviderAndWait(
  new InMemoryProvider({
    plan: {
      variants: { free: 0, pro: 1 },
      defaultVariant: 'free',
      disabled: false,
      contextEvaluator: (c) => (c.targetingKey === 'bob' ? 'pro' : 'free'),
    },
  }),
);

// In process: every record as it is written.
const consumer = (async () => {
  for await (const record of audit.stream())
    console.log('seen', record.event.action, record.state_change?.subject ?? '');
})();

const client = OpenFeature.getClient();
for (const user of ['alice', 'bob']) await client.getNumberValue('plan', 0, { targetingKey: user });
await audit.close();
await consumer;

// Afterwards: check the hash chain and rebuild every subject's state.
console.log('verify', verifyAudit(sink.records).ok);
console.log('replay', JSON.stringify(replayAudit(sink.records).counts));
