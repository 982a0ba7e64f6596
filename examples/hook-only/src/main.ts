// The StateTransitionHook on OpenFeature's InMemoryProvider: state tracking with any provider.
import { runHookOnly } from './run-hook-only.js';

console.log('flagstate hook + OpenFeature InMemoryProvider: the checkout flag as a state machine\n');
const { lines } = await runHookOnly();
for (const line of lines) console.log(line);
