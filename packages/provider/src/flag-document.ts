import { createHash } from 'node:crypto';
import {
  type DefinitionIssue,
  type Machine,
  MachineDefinitionError,
  type MachineSet,
  parseMachines,
  type Transition,
} from '@flagstate/core';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import type { Logger } from '@openfeature/server-sdk';
import { FlagDocumentError } from './flag-document-error.js';
import { FLAG_DOCUMENT_LIMITS } from './flag-document-limits.js';
import { type CompiledGuards, compileGuards } from './internal/compile-guards.js';
import { flagdProblems } from './internal/flagd-problems.js';
import { readDocument } from './internal/read-document.js';
import { servedVariants } from './internal/served-variants.js';
import { SILENT } from './internal/silent-logger.js';
import type { ServedVariant } from './served-variant.js';
import type { FlagSourceContent } from './sources/flag-source.js';

/**
 * A validated flag document, ready to serve: flagd-core holding its flags, the machines, and
 * JSON Logic guards compiled by the same engine. Immutable: a reload builds a new one.
 */
export class FlagDocument {
  readonly source: string;
  /** Short content hash: which document is being served. */
  readonly revision: string;
  readonly core: FlagdCore;
  readonly machines: MachineSet;
  readonly #guards: CompiledGuards;
  readonly #served: ReadonlyMap<string, ReadonlyMap<string, ServedVariant>>;
  /** Departures from flagd's strict schema that flagd itself tolerates (it fails those rules at evaluation). */
  readonly warnings: readonly DefinitionIssue[];

  private constructor(
    source: string,
    revision: string,
    core: FlagdCore,
    machines: MachineSet,
    guards: CompiledGuards,
    served: ReadonlyMap<string, ReadonlyMap<string, ServedVariant>>,
    warnings: readonly DefinitionIssue[],
  ) {
    this.warnings = warnings;
    this.source = source;
    this.revision = revision;
    this.core = core;
    this.machines = machines;
    this.#guards = guards;
    this.#served = served;
  }

  /**
   * Validates everything (the text, flagd schema, machines, guards) and throws one error
   * listing it all. The limits are `FLAG_DOCUMENT_LIMITS`.
   */
  static load(content: FlagSourceContent, source: string, logger: Logger = SILENT): FlagDocument {
    const doc = readDocument(content, source);
    // Machines first: parseMachines refuses a document that is not JSON data (too deep, a
    // cycle, a "__proto__" key…) before flagd-core, ajv or JSON.stringify would read it.
    let machines: MachineSet | undefined;
    const machineIssues: DefinitionIssue[] = [];
    try {
      machines = parseMachines(doc, { maxDepth: FLAG_DOCUMENT_LIMITS.maxDepth });
    } catch (error) {
      if (!(error instanceof MachineDefinitionError)) throw error;
      if (error.code === 'MACHINE_DOCUMENT_NOT_DATA') throw new FlagDocumentError(source, error.issues);
      machineIssues.push(...error.issues);
    }
    const { machines: _machines, ...flagdPart } = doc;
    const issues: DefinitionIssue[] = [];
    if (typeof flagdPart.flags !== 'object' || flagdPart.flags === null) {
      issues.push({ path: 'flags', message: 'is required: an object of flagd flags' });
    }

    // flagd's in-process evaluator loads leniently (a bad targeting rule fails at evaluation
    // with PARSE_ERROR), and so do we; its strict schema check only explains a failure, or
    // becomes warnings.
    const flagdText = JSON.stringify(flagdPart);
    const storage = new MemoryStorage(logger);
    let warnings: DefinitionIssue[] = [];
    try {
      storage.setConfigurations(flagdText, false);
      warnings = flagdProblems(flagdPart, true, logger);
    } catch {
      const strict = flagdProblems(flagdPart, true, logger);
      issues.push(...(strict.length > 0 ? strict : flagdProblems(flagdPart, false, logger)));
    }
    issues.push(...machineIssues);

    const guards = compileGuards(machines, flagdPart.$evaluators, logger, issues);

    if (issues.length > 0 || machines === undefined) throw new FlagDocumentError(source, issues);

    const core = new FlagdCore(storage, logger);
    const revision = createHash('sha256')
      .update(flagdText)
      .update(JSON.stringify(_machines ?? null))
      .digest('hex');
    return new FlagDocument(
      source,
      revision.slice(0, 12),
      core,
      machines,
      guards,
      servedVariants(machines, core),
      warnings,
    );
  }

  /** The variant and value that serve `state` for a machine-bound flag. */
  served(flagKey: string, state: string): ServedVariant | undefined {
    return this.#served.get(flagKey)?.get(state);
  }

  /** Whether a transition's guard allows it for this context; no guard allows. */
  guardAllows(t: Transition, context: Record<string, unknown>): boolean {
    const guard = t.guard;
    if (guard === undefined) return true;
    const core = guard.kind === 'flag' ? this.core : this.#guards.core;
    const key = guard.kind === 'flag' ? guard.flag : this.#guards.keys.get(t);
    if (key === undefined) return false;
    const r = core.resolveBooleanEvaluation(key, false, context as never, SILENT);
    return r.errorCode === undefined && r.value === true;
  }

  /** Flags whose evaluation may differ from `previous`'s: changed flagd flags, and flags of changed machines. */
  changedSince(previous: FlagDocument | undefined): string[] {
    const now = this.core.getFlags();
    if (previous === undefined) return [...now.keys()];
    const before = previous.core.getFlags();
    const changed = new Set<string>();
    for (const [key, flag] of now) if (before.get(key)?.hash !== flag.hash) changed.add(key);
    for (const key of before.keys()) if (!now.has(key)) changed.add(key);
    for (const machine of this.machines) {
      const old = previous.machines.get(machine.id);
      if (!old || !sameMachine(old, machine)) for (const key of machine.flags) changed.add(key);
    }
    for (const old of previous.machines) {
      if (!this.machines.get(old.id)) for (const key of old.flags) changed.add(key);
    }
    return [...changed];
  }
}

function sameMachine(a: Machine, b: Machine): boolean {
  const shape = (m: Machine) =>
    JSON.stringify([
      m.version,
      m.initial,
      m.stateNames.map((s) => m.state(s)),
      m.transitions.map((t) => [t.from, t.to, t.name, t.guard]),
      m.flags,
      m.subject,
      m.stateFrom,
      m.enforcement,
    ]);
  return shape(a) === shape(b);
}
