// `@flagstate/core/internal`: what flagstate's own packages (the hook, the provider, the CLI)
// share beyond the public API. No semver promise: names here change with any release.
export { suspensionRecord } from './audit/suspension-record.js';
export { describeUnusableSubject, readContextPath, readSubject } from './context-path.js';
export type { GuardCheck, Served } from './decide-served.js';
export { decideServed } from './decide-served.js';
export { NameTable } from './internal/name-table.js';
export type { HandedRead } from './internal/read-handover.js';
export { anyHandedReads, handOverRead, takeHandedRead } from './internal/read-handover.js';
export type { MutableStateRecord } from './state-record.js';
export { blankStateRecord } from './state-record.js';
export { readStateRecord } from './state-store.js';
