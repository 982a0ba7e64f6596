// A driver for `node --cpu-prof`: the hook's transition path called directly, as the
// "stages-transition" group measures it, long enough for a profile. Not part of `pnpm bench`.
// Run: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx src/profile-transition.ts [calls]`
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { StateTransitionHook } from '@flagstate/hook';
import { inSpan, registerOtel } from './otel-sdk.js';
import { machines, servedA, servedB, stageContext } from './transition-fixture.js';

const tracer = registerOtel();
const calls = Number(process.argv[2] ?? 200_000);
const file = join(mkdtempSync(join(tmpdir(), 'flagstate-prof-')), 'audit.ndjson');
const hook = new StateTransitionHook({ machines, audit: createAuditLog({ sinks: [fileSink(file)] }) });
const ctx = stageContext('user-1') as never;
const a = servedA;
const b = servedB;

await inSpan(tracer, async () => {
  const started = performance.now();
  for (let n = 0; n < calls; n++) {
    hook.before(ctx);
    hook.finally(ctx, ((n & 1) === 0 ? { ...a } : { ...b }) as never);
    // Let the batched file writes run, as they would between requests.
    if (n % 256 === 255) await new Promise(setImmediate);
  }
  const us = ((performance.now() - started) * 1000) / calls;
  console.log(`${calls} transitions, ${us.toFixed(2)} µs each, ${hook.audit.stats().sequence} records`);
});
await hook.audit.close();
