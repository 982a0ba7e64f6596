import {
  type AuditLog,
  type Clock,
  type DurableState,
  LruStateStore,
  MAX_SUBJECT_LENGTH,
  MachineSet,
  openDurableState,
  type StateStore,
  systemClock,
} from '@flagstate/core';
import {
  blankStateRecord,
  handOverRead,
  type MutableStateRecord,
  readStateRecord,
  readSubject,
  type Served,
} from '@flagstate/core/internal';
import { StateTransitionHook } from '@flagstate/hook';
import {
  ErrorCode,
  type EvaluationContext,
  type FlagValue,
  type FlagValueType,
  type Hook,
  type JsonValue,
  type Logger,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  ProviderNotReadyError,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { FlagDocument } from './flag-document.js';
import type { EnforcedEvaluation } from './internal/enforced-evaluation.js';
import { enforce } from './internal/enforced-resolution.js';
import { safeContext } from './internal/safe-context.js';
import { SILENT } from './internal/silent-logger.js';
import { UndecidedEvaluations } from './internal/undecided-evaluations.js';
import type { FlagSource, FlagSourceContent } from './sources/flag-source.js';
import { MemoryFlagSource } from './sources/memory-flag-source.js';
import type { StateMachineProviderOptions } from './state-machine-provider-options.js';

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
  readonly #durable: DurableState | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #served: Served = { state: '', held: undefined, from: undefined };
  readonly #record: MutableStateRecord = blankStateRecord();
  #document: FlagDocument | undefined;
  #stopWatching: (() => void) | undefined;
  #failing = false;
  #warnedEvicting = false;
  readonly #undecided: UndecidedEvaluations;
  readonly #maxSubjectLength: number;

  constructor(options: StateMachineProviderOptions) {
    for (const key of ['service', 'namespace']) {
      // Once provider options; the audit log stamps every record with them.
      if (key in options) {
        throw new TypeError(
          `${key} is an option of the audit log: pass audit: createAuditLog({ ${key} }), or durable: { dir, ${key} }`,
        );
      }
    }
    const { source } = options;
    this.#source =
      typeof source === 'string' || !('load' in (source as object))
        ? new MemoryFlagSource(source)
        : (source as FlagSource);
    this.#durable = openDurable(options);
    this.store = this.#durable?.store ?? options.store ?? new LruStateStore({ whenFull: 'refuse' });
    this.#ownsAudit = options.audit === undefined;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? SILENT;
    const { source: _source, store: _store, durable: _durable, ...hookOptions } = options;
    // Without an audit log, the hook creates one; we close it.
    this.hook = new StateTransitionHook({
      ...hookOptions,
      ...(this.#durable === undefined ? {} : { audit: this.#durable.audit }),
      machines: MachineSet.empty,
      store: this.store,
      clock: this.#clock,
    });
    this.audit = this.hook.audit;
    this.hooks = [this.hook];
    this.#maxSubjectLength = options.maxSubjectLength ?? MAX_SUBJECT_LENGTH;
    this.#undecided = new UndecidedEvaluations({
      policy: options.whenUndecided,
      windowMs: options.suspensionWindowMs,
      audit: this.audit,
      events: this.events,
      clock: this.#clock,
      logger: () => this.#logger,
    });
  }

  /** The document being served, or `undefined` before `initialize`. */
  get document(): FlagDocument | undefined {
    return this.#document;
  }

  /**
   * Loads and validates the source; a bad first document rejects with every problem. The
   * source is watched either way, so that fixing the file makes the provider ready.
   */
  async initialize(_context?: EvaluationContext): Promise<void> {
    this.#stopWatching ??= this.#source.watch?.((content) => this.#reload(content));
    try {
      this.#swap(this.#load(await this.#source.load()));
    } catch (error) {
      this.#failing = true;
      throw error;
    }
  }

  async onClose(): Promise<void> {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#undecided.flush();
    if (this.#durable !== undefined) await this.#durable.close();
    else if (this.#ownsAudit) await this.audit.close();
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

  #load(content: FlagSourceContent): FlagDocument {
    const doc = FlagDocument.load(content, this.#source.name, this.#logger);
    for (const w of doc.warnings) {
      this.#logger.warn(
        `${this.#source.name}: ${w.path}: ${w.message} (flagd fails this rule at evaluation)`,
      );
    }
    return doc;
  }

  #reload(content: FlagSourceContent | Error): void {
    const previous = this.#document;
    try {
      if (content instanceof Error) throw content;
      const next = this.#load(content);
      const flagsChanged = next.changedSince(previous);
      this.#swap(next);
      if (this.#failing) {
        this.#failing = false;
        this.events.emit(ProviderEvents.Ready, {
          message: `${this.#source.name}: serving revision ${next.revision}`,
        });
      }
      // Back to the same content after an error: ready again, but nothing changed.
      if (previous !== undefined && flagsChanged.length > 0) {
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
      }
    } catch (error) {
      // The last good document keeps being served.
      this.#failing = true;
      const message = error instanceof Error ? error.message : String(error);
      this.events.emit(ProviderEvents.Error, {
        message:
          previous === undefined ? message : `${message}\n(still serving revision ${previous.revision})`,
        errorCode: ErrorCode.PARSE_ERROR,
      });
    }
  }

  #swap(doc: FlagDocument): void {
    this.#document = doc;
    this.hook.machines = doc.machines;
    this.#warnIfEvicting(doc);
  }

  /** An evicting store would let enforcement forget a held subject and serve it as new. */
  #warnIfEvicting(doc: FlagDocument): void {
    if (this.#warnedEvicting || !(this.store instanceof LruStateStore) || this.store.whenFull !== 'evict')
      return;
    const enforced = [...doc.machines].filter((m) => m.enforcement === 'enforce');
    if (enforced.length === 0) return;
    this.#warnedEvicting = true;
    this.#logger.warn(
      `flagstate: machine(s) ${enforced.map((m) => m.id).join(', ')} enforce, but the store evicts known subjects when full, so an evicted subject would be served as new; use new LruStateStore({ whenFull: 'refuse' }) (the default store), durable, or RedisStateStore`,
    );
  }

  /** How this provider's store was rebuilt at start, with `durable`. */
  get recovery(): DurableState['recovery'] | undefined {
    return this.#durable?.recovery;
  }

  #resolve<T extends FlagValue>(
    type: FlagValueType,
    flagKey: string,
    defaultValue: T,
    given: EvaluationContext,
    logger: Logger,
  ): ResolutionDetails<T> | Promise<ResolutionDetails<T>> {
    const doc = this.#document;
    // Targeting, the subject and guards all read this one view of the context.
    const context = safeContext(given);
    if (doc === undefined)
      throw new ProviderNotReadyError(`${this.#source.name}: no valid flag document yet`);
    const result = doc.core.resolve(type, flagKey, defaultValue, context, logger ?? SILENT);
    const machine = doc.machines.forFlag(flagKey);
    if (machine === undefined || result.errorCode !== undefined || result.variant === undefined)
      return result;
    const target = machine.stateOf(result.variant, result.value)!;
    if (machine.enforcement === 'audit') return result;
    const subject = readSubject(context, machine, this.#maxSubjectLength);
    // One object per enforced evaluation: the decision, the policy and the metadata all read it.
    const evaluation: EnforcedEvaluation<T> = {
      doc,
      machine,
      flagKey,
      defaultValue,
      result,
      target,
      subject,
      context,
    };
    if (subject === undefined) return this.#undecided.resolve('subject_unusable', evaluation);
    let record: ReturnType<StateStore['get']>;
    try {
      // A packed store fills our scratch record, read at once by the decision: nothing is built.
      record = readStateRecord(this.store, machine.id, subject, this.#record);
    } catch (error) {
      return this.#undecided.resolve('store_unavailable', evaluation, error);
    }
    const served = this.#served;
    const now = this.#clock.now();
    if (record instanceof Promise) {
      return record.then(
        (r) => {
          if (this.#undecided.stale) this.#undecided.recovered();
          const resolution = enforce(served, evaluation, r, now);
          if (resolution.errorCode === undefined) {
            this.#undecided.served(machine.id, subject, served.state);
            // The hook observes through the same store: it takes this read, saving a round trip.
            handOverRead(this.store, given, { machine: machine.id, subject, record: r });
          }
          return resolution;
        },
        (error: unknown) => this.#undecided.resolve('store_unavailable', evaluation, error),
      );
    }
    if (this.#undecided.stale) this.#undecided.recovered();
    // No closure on the synchronous path: it runs on every enforced evaluation.
    return enforce(served, evaluation, record, now);
  }
}

/** The durable setup the options ask for, checked against options it cannot go with. */
function openDurable(options: StateMachineProviderOptions): DurableState | undefined {
  const { durable } = options;
  if (durable === undefined) return undefined;
  for (const key of ['store', 'audit'] as const) {
    if (options[key] !== undefined) {
      throw new TypeError(`durable gives the provider its ${key}: pass one or the other, not both`);
    }
  }
  if (options.pseudonymize !== undefined) {
    // Records then hold pseudonyms, from which the store (keyed by raw subjects) cannot be rebuilt.
    throw new TypeError(
      'durable cannot be combined with pseudonymize yet: the store could not be rebuilt from pseudonymised records',
    );
  }
  return openDurableState(typeof durable === 'string' ? { dir: durable } : durable);
}
