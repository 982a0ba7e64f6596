/**
 * Evaluations already recorded by some StateTransitionHook. The SDK hands every hook of one
 * evaluation the same details object, so it identifies the evaluation; a WeakSet forgets it
 * with the evaluation.
 */
const seen = new WeakSet<object>();
let instances = 0;

export function registerHookInstance(): void {
  instances++;
}

/** True the first time an evaluation is claimed. With one hook in the process, always true. */
export function claimEvaluation(details: object): boolean {
  if (instances < 2) return true;
  if (seen.has(details)) return false;
  seen.add(details);
  return true;
}
