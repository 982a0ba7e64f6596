import {
  type AuditLog,
  type Clock,
  createAuditLog,
  LruStateStore,
  type Machine,
  MachineSet,
  readSubject,
  type StateRecord,
  type StateStore,
  stateFromValue,
  systemClock,
} from '@flagstate/core';
import { METADATA, StateTransitionHook } from '@flagstate/hook';
import {
  type EvaluationContext,
  type FlagValue,
  type FlagValueType,
  type Hook,
  type JsonValue,
  type Logger,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { FlagDocument } from './flag-document.js';
import { decideServed, type HeldReason, type Served } from './internal/enforce.js';
import type { FlagSource, FlagSourceContent } from './sources/flag-source.js';
import { MemoryFlagSource } from './sources/memory-flag-source.js';
import type { StateMachineProviderOptions } from './state-machine-provider-options.js';

const SILENT: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/**
 * Without the store the provider cannot know where a subject is: it serves what targeting
 * says, marked, rather than fail the evaluation or guess. The hook counts the store failure.
 */
function unavailable<T extends FlagValue>(machine: Machine, result: ResolutionDetails<T>, target: string) {
  return {
    ...result,
    flagMetadata: {
      ...result.flagMetadata,
      [METADATA.machine]: machine.id,
      [METADATA.requested]: target,
      [METADATA.held]: 'store_unavailable' satisfies HeldReason,
    },
  };
}

/**
 * An OpenFeature server provider that evaluates flagd-format flag documents with
 * `@openfeature/flagd-core`, plus a `machines` section: bound flags are observed (audit) or
 * held to their machine (enforce) by the StateTransitionHook it registers as its own hook.
 */
export class StateMachineProvider implements Provider {
  readonly metadata = { name: 'flagstate' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly hooks: Hook[];
  readonly hook: StateTransitionHook;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly #source: FlagSource;
  readonly #ownsAudit: boolean;
  readonly #clock: Clock;
  readonly #served: Served = { state: '', held: undefined };
  #document: FlagDocument | undefined;
  #stopWatching: (() => void) | undefined;
  #failing = false;

  constructor(options: StateMachineProviderOptions) {
    const { source } = options;
    this.#source =
      typeof source === 'string' || !('load' in (source as object))
        ? new MemoryFlagSource(source)
        : (source as FlagSource);
    this.store = options.store ?? new LruStateStore();
    this.#ownsAudit = options.audit === undefined;
    this.audit = options.audit ?? createAuditLog();
    this.#clock = options.clock ?? systemClock;
    const { source: _source, store: _store, audit: _audit, ...hookOptions } = options;
    this.hook = new StateTransitionHook({
      ...hookOptions,
      machines: MachineSet.empty,
      store: this.store,
      audit: this.audit,
      clock: this.#clock,
    });
    this.hooks = [this.hook];
  }

  /** The document being served, or `undefined` before `initialize`. */
  get document(): FlagDocument | undefined {
    return this.#document;
  }

  /** Loads and validates the source; a bad first document rejects with every problem. */
  async initialize(_context?: EvaluationContext): Promise<void> {
    this.#swap(FlagDocument.load(await this.#source.load(), this.#source.name));
    this.#stopWatching = this.#source.watch?.((content) => this.#reload(content));
  }

  async onClose(): Promise<void> {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    if (this.#ownsAudit) await this.audit.close();
  }

  async resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
    logger: Logger,
  ) {
    return this.#resolve('boolean', flagKey, defaultValue, context, logger);
  }

  async resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
    logger: Logger,
  ) {
    return this.#resolve('string', flagKey, defaultValue, context, logger);
  }

  async resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
    logger: Logger,
  ) {
    return this.#resolve('number', flagKey, defaultValue, context, logger);
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    logger: Logger,
  ) {
    return this.#resolve('object', flagKey, defaultValue, context, logger);
  }

  #reload(content: FlagSourceContent | Error): void {
    try {
      if (content instanceof Error) throw content;
      const next = FlagDocument.load(content, this.#source.name);
      const flagsChanged = next.changedSince(this.#document);
      this.#swap(next);
      if (this.#failing) {
        this.#failing = false;
        this.events.emit(ProviderEvents.Ready, {
          message: `${this.#source.name}: serving revision ${next.revision}`,
        });
      }
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
    } catch (error) {
      // The last good document keeps being served.
      this.#failing = true;
      const message = error instanceof Error ? error.message : String(error);
      this.events.emit(ProviderEvents.Error, {
        message: `${message}\n(still serving revision ${this.#document?.revision})`,
      });
    }
  }

  #swap(doc: FlagDocument): void {
    this.#document = doc;
    this.hook.machines = doc.machines;
  }

  #resolve<T extends FlagValue>(
    type: FlagValueType,
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    logger: Logger,
  ): ResolutionDetails<T> | Promise<ResolutionDetails<T>> {
    const doc = this.#document;
    if (doc === undefined) throw new Error('the provider is not initialized');
    const result = doc.core.resolve(type, flagKey, defaultValue, context, logger ?? SILENT);
    const machine = doc.machines.forFlag(flagKey);
    if (machine === undefined || result.errorCode !== undefined || result.variant === undefined)
      return result;
    const target = machine.stateFrom === 'variant' ? result.variant : stateFromValue(result.value);
    if (machine.enforcement === 'audit') return result;
    const subject = readSubject(context, machine);
    if (subject === undefined) return result;
    let record: ReturnType<StateStore['get']>;
    try {
      record = this.store.get(machine.id, subject);
    } catch {
      return unavailable(machine, result, target);
    }
    if (record instanceof Promise) {
      return record.then(
        (r) => this.#enforce(doc, machine, flagKey, result, target, r, context),
        () => unavailable(machine, result, target),
      );
    }
    return this.#enforce(doc, machine, flagKey, result, target, record, context);
  }

  #enforce<T extends FlagValue>(
    doc: FlagDocument,
    machine: Machine,
    flagKey: string,
    result: ResolutionDetails<T>,
    target: string,
    record: StateRecord | undefined,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    const served = this.#served;
    decideServed(served, doc, machine, record, target, this.#clock.now(), context);
    const flagMetadata: Record<string, string | number | boolean> = {
      ...result.flagMetadata,
      [METADATA.machine]: machine.id,
      [METADATA.requested]: target,
    };
    if (served.held === undefined) return { ...result, flagMetadata };
    flagMetadata[METADATA.held] = served.held;
    const variant = doc.served(flagKey, served.state);
    if (variant === undefined) return { ...result, flagMetadata };
    return { ...result, value: variant.value as T, variant: variant.variant, flagMetadata };
  }
}
