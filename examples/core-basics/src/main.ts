// `pnpm demo` (until the checkout-rollout demo lands): the core engine on its own.
import { runRollout } from './rollout.js';

console.log('flagstate core: observations of the checkout machine -> outcomes\n');
for (const line of runRollout()) console.log(`  ${line}`);
