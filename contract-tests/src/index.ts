export { auditLogContract } from './contracts/audit-log.js';
export { contextPropagationContract } from './contracts/context-propagation.js';
export { exceptionsContract } from './contracts/exceptions.js';
export { stateConsistencyContract } from './contracts/state-consistency.js';
export { transitionTimingContract } from './contracts/transition-timing.js';
export { racingStore } from './racing-store.js';
export type { Run } from './run.js';
export { startRun, withRun } from './run.js';
export type { ContractSetup, Harness, SetupOptions } from './setup.js';
