// `@flagstate/core/internal`: what flagstate's own packages (the hook, the provider, the CLI)
// share beyond the public API: records made from evaluations, the decision
// both enforce, and what they read from contexts and stores. No semver promise: names here change with any release.

export { describeUnusableSubject, readContextPath, readSubject } from './engine/context-path.js';
export type { GuardCheck, Served } from './engine/decide-served.js';
export { decideServed } from './engine/decide-served.js';
export type { HandedRead } from './engine/internal/read-handover.js';
export { anyHandedReads, handOverRead, takeHandedRead } from './engine/internal/read-handover.js';
export { createPseudonymizer } from './records/pseudonymize.js';
export type { AuditRecordFactoryOptions, EvaluationFacts } from './records/record-factory.js';
export { createAuditRecordFactory } from './records/record-factory.js';
export { suspensionRecord } from './records/suspension-record.js';
export type { MutableStateRecord } from './store/state-record.js';
export { blankStateRecord } from './store/state-record.js';
export { readStateRecord } from './store/state-store.js';
