// `pnpm demo`: the checkout service, its load, a rollout with an illegal edit and a rollback,
// then the audit checks. DEMO_DURATION_MS, DEMO_USERS, DEMO_CONCURRENCY, DEMO_MAX_REQUESTS and
// DEMO_OUT_DIR shorten or move it (see README.md).
import { demoOptions } from './options.js';
import { runDemo } from './run-demo.js';

// pnpm runs the demo from its package directory; work where `pnpm demo` was typed, so that
// ./flagstate-demo and every path the demo prints are the user's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// Ctrl-C: exit through process.exit, so that the audit log writes its queue and closing
// checkpoint synchronously on the way out.
process.once('SIGINT', () => {
  process.stdout.write('\ninterrupted\n');
  process.exit(130);
});

try {
  const result = await runDemo(demoOptions());
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  console.error('the demo failed:', error);
  // The server, timers or the SDK may still hold the event loop open.
  process.exit(1);
}
