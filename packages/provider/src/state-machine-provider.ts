import type { AuditLog, AuditRecord } from '@flagstate/audit';
import {
  type Clock,
  type DurableState,
  LruStateStore,
  MAX_SUBJECT_LENGTH,
  MachineSet,
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
import type { StateTransitionHook } from '@flagstate/hook';
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
  ProviderFatalError,
  ProviderNotReadyError,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import { FlagDocument } from './flag-document.js';
import type { EnforcedEvaluation } from './internal/enforced-evaluation.js';
import { enforce } from './internal/enforced-resolution.js';
import { initializeFailure } from './internal/initialize-failure.js';
import { closeParts, openParts, type ProviderParts } from './internal/provider-parts.js';
import { safeContext } from './internal/safe-context.js';
import { SILENT } from './internal/silent-logger.js';
import { trackEvent } from './internal/track-event.js';
import { TrackingCounts } from './internal/tracking-counts.js';
import type { FlagSource, FlagSourceContent } from './sources/flag-source.js';
import { memorySource } from './sources/memory-source.js';
import type { StateMachineProviderOptions } from './state-machine-provider-options.js';
import type { TrackedEvents } from './tracked-events.js';

/**
 * An OpenFeature server provider that evaluates flagd-format flag documents with
 * `@openfeature/flagd-core`, plus a `machines` section: bound flags are observed (audit) or
 * held to their machine (enforce) by the StateTransitionHook it registers as its own hook.
 */
export class StateMachineProvider implements Provider {
  readonly metadata = { name: 'flagstate' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #options: StateMachineProviderOptions;
  readonly #source: FlagSource;
  /** The source can report a new document: a bad first one is an error, not fatal. */
  readonly #canChange: boolean;
  /** Kept across initialisations when not `durable` (which rebuilds its own from its files). */
  readonly #store: StateStore | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #served: Served = { state: '', held: undefined, from: undefined };
  readonly #record: MutableStateRecord = blankStateRecord();
  readonly #evaluation: EnforcedEvaluation = {
    doc: undefined as unknown as FlagDocument,
    machine: undefined as unknown as EnforcedEvaluation['machine'],
    flagKey: '',
    defaultValue: '',
    result: { value: '' },
    target: '',
    subject: undefined,
    context: {},
  };
  readonly #tracking = new TrackingCounts();
  /** Followers of every audit log this provider writes, across initialisations. */
  readonly #auditFollowers = new Set<(record: AuditRecord) => void | Promise<void>>();
  #unfollow: (() => void)[] = [];
  #parts: ProviderParts;
  /** The parts were closed by `onClose`: the next `initialize` opens those it owns anew. */
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Grows at every close, so that an `initialize` still loading knows it was aborted. */
  #generation = 0;
  #document: FlagDocument | undefined;
  #stopWatching: (() => void) | undefined;
  #failing = false;
  #warnedEvicting = false;
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
    const own = typeof source === 'string' || !('load' in (source as object));
    this.#source = own ? memorySource(source) : (source as FlagSource);
    // Our own memory source is never updated: no one else holds it.
    this.#canChange = !own && this.#source.watch !== undefined;
    this.#options = options;
    this.#store =
      options.durable === undefined
        ? (options.store ?? new LruStateStore({ whenFull: 'refuse' }))
        : undefined;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? SILENT;
    this.#maxSubjectLength = options.maxSubjectLength ?? MAX_SUBJECT_LENGTH;
    this.#parts = this.#open();
  }

  /** The hook the provider registers, writing this initialisation's audit log. */
  get hook(): StateTransitionHook {
    return this.#parts.hook;
  }

  get hooks(): Hook[] {
    return this.#parts.hooks;
  }

  /** Where subjects' states are kept; with `durable`, rebuilt from its files at each initialisation. */
  get store(): StateStore {
    return this.#parts.store;
  }

  /**
   * The audit log being written. A log the provider made (the default, or `durable`'s) is
   * closed by `onClose`, and the next `initialize` opens a new one (a new stream; `durable`'s
   * continues the chain in its files); use `subscribeAudit` to follow them all.
   */
  get audit(): AuditLog {
    return this.#parts.audit;
  }

  /**
   * Calls `fn` with every audit record the provider writes from now on, across
   * re-initialisations (each log's `subscribe`, with its bounded buffer). Returns a function
   * that unsubscribes.
   */
  subscribeAudit(fn: (record: AuditRecord) => void | Promise<void>): () => void {
    this.#auditFollowers.add(fn);
    const off = this.#parts.audit.subscribe(fn);
    this.#unfollow.push(off);
    return () => {
      this.#auditFollowers.delete(fn);
      off();
    };
  }

  #open(): ProviderParts {
    const parts = openParts({
      options: this.#options,
      store: this.#store,
      machines: this.#document?.machines ?? MachineSet.empty,
      events: this.events,
      logger: () => this.#logger,
    });
    this.#unfollow = [...this.#auditFollowers].map((fn) => parts.audit.subscribe(fn));
    return parts;
  }

  /** The document being served, or `undefined` before `initialize`. */
  get document(): FlagDocument | undefined {
    return this.#document;
  }

  /**
   * Loads and validates the source, and emits `PROVIDER_READY` before it resolves, or
   * `PROVIDER_ERROR` before it rejects: `PROVIDER_FATAL` when nothing can make this instance
   * ready (the source can never change, or the audit log it was given is closed), else the
   * error, and the source is watched, so that fixing the file makes the provider ready. After
   * `onClose`, it opens again what the provider owns (its audit log, `durable`).
   */
  async initialize(_context?: EvaluationContext, _domain?: string): Promise<void> {
    if (this.#closing !== undefined) {
      await this.#closing.catch(() => undefined);
      this.#closing = undefined;
    }
    const generation = this.#generation;
    let doc: FlagDocument;
    try {
      this.#reopen();
      this.#stopWatching ??= this.#source.watch?.((content) => this.#reload(content));
      const content = await this.#source.load();
      if (generation !== this.#generation) {
        // Closed while loading: the provider stays closed, as the SDK infers.
        throw new ProviderNotReadyError(`${this.#source.name}: the provider was closed while initializing`);
      }
      doc = this.#load(content);
    } catch (error) {
      if (generation !== this.#generation) throw error;
      this.#failing = true;
      const failure = initializeFailure(error, { name: this.#source.name, canChange: this.#canChange });
      this.events.emit(ProviderEvents.Error, failure.details);
      throw failure.thrown;
    }
    this.#swap(doc);
    this.#failing = false;
    this.events.emit(ProviderEvents.Ready, {
      message: `${this.#source.name}: serving revision ${doc.revision}`,
    });
  }

  /** After `onClose`: owned parts are opened anew; a given log must still be open. */
  #reopen(): void {
    if (!this.#closed) return;
    if (!this.#parts.owned) {
      if (this.#parts.audit.closed) {
        throw new ProviderFatalError(
          "the audit log given in the provider's options (audit) is closed: records could not be written; give the provider an open log, or none (it then makes and closes its own)",
        );
      }
    } else this.#parts = this.#open();
    this.#closed = false;
  }

  /**
   * Stops watching, writes what is pending and closes what the provider owns (its audit log,
   * `durable`; a given log is flushed), and reverts to not initialised: evaluations get
   * PROVIDER_NOT_READY until the next `initialize`. Idempotent, also when called twice at once
   * (the SDK closes an instance bound to two domains once per domain).
   */
  onClose(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#generation++;
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#document = undefined;
    this.#failing = false;
    if (this.#closed) return;
    this.#closed = true;
    const unfollow = this.#unfollow;
    this.#unfollow = [];
    try {
      await closeParts(this.#parts);
    } finally {
      for (const off of unfollow) off();
    }
  }

  /**
   * Counts a tracking event (OpenFeature `track()`) under every machine of the document, at the
   * state the store holds for the context's subject: `flagstate.tracking.events`, and
   * `trackedEvents()`. Never throws and never waits for the store.
   */
  track(trackingEventName: string, context?: EvaluationContext, _details?: TrackingEventDetails): void {
    const doc = this.#document;
    if (doc === undefined) return;
    try {
      trackEvent(this.#tracking, doc, this.#parts.store, trackingEventName, context, this.#maxSubjectLength);
    } catch (error) {
      this.#logger.warn(`flagstate: a tracking event could not be counted: ${String(error)}`);
    }
  }

  /** The tracking events counted so far, per machine and state; see `TrackedEvents`. */
  trackedEvents(): TrackedEvents {
    return this.#tracking.read();
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
    this.#parts.hook.machines = doc.machines;
    this.#warnIfEvicting(doc);
  }

  /** An evicting store would let enforcement forget a held subject and serve it as new. */
  #warnIfEvicting(doc: FlagDocument): void {
    const store = this.#parts.store;
    if (this.#warnedEvicting || !(store instanceof LruStateStore) || store.whenFull !== 'evict') return;
    const enforced = [...doc.machines].filter((m) => m.enforcement === 'enforce');
    if (enforced.length === 0) return;
    this.#warnedEvicting = true;
    this.#logger.warn(
      `flagstate: machine(s) ${enforced.map((m) => m.id).join(', ')} enforce, but the store evicts known subjects when full, so an evicted subject would be served as new; use new LruStateStore({ whenFull: 'refuse' }) (the default store), durable, or RedisStateStore`,
    );
  }

  /** How this provider's store was rebuilt at start, with `durable`. */
  get recovery(): DurableState['recovery'] | undefined {
    return this.#parts.durable?.recovery;
  }

  #resolve<T extends FlagValue>(
    type: FlagValueType,
    flagKey: string,
    defaultValue: T,
    given: EvaluationContext,
    logger: Logger,
  ): ResolutionDetails<T> | Promise<ResolutionDetails<T>> {
    const doc = this.#document;
    const { undecided, store } = this.#parts;
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
    // Our scratch evaluation, read at once by the decision, the policy and the metadata: the
    // synchronous path builds nothing. An asynchronous read takes its own copy below.
    const evaluation = this.#evaluation as EnforcedEvaluation<T>;
    evaluation.doc = doc;
    evaluation.machine = machine;
    evaluation.flagKey = flagKey;
    evaluation.defaultValue = defaultValue;
    evaluation.result = result;
    evaluation.target = target;
    evaluation.subject = subject;
    evaluation.context = context;
    if (subject === undefined) return undecided.resolve('subject_unusable', evaluation);
    let record: ReturnType<StateStore['get']>;
    try {
      // A packed store fills our scratch record, read at once by the decision: nothing is built.
      record = readStateRecord(store, machine.id, subject, this.#record);
    } catch (error) {
      return undecided.resolve('store_unavailable', evaluation, error);
    }
    const served = this.#served;
    // The clock is read only for a bake time: a steady evaluation needs no time.
    const clock = this.#clock;
    if (record instanceof Promise) {
      const own = { ...evaluation };
      return record.then(
        (r) => {
          if (undecided.stale) undecided.recovered();
          const resolution = enforce(served, own, r, clock);
          if (resolution.errorCode === undefined) {
            undecided.served(machine.id, subject, served.state);
            // The hook observes through the same store: it takes this read, saving a round trip.
            handOverRead(store, given, { machine: machine.id, subject, record: r });
          }
          return resolution;
        },
        (error: unknown) => undecided.resolve('store_unavailable', own, error),
      );
    }
    if (undecided.stale) undecided.recovered();
    // No closure on the synchronous path: it runs on every enforced evaluation.
    return enforce(served, evaluation, record, clock);
  }
}
