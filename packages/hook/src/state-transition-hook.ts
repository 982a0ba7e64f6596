import { type AuditLog, createAuditLog } from '@flagstate/audit';
import {
  LruStateStore,
  MAX_SUBJECT_LENGTH,
  type Machine,
  MachineSet,
  METADATA,
  type Outcome,
  outcomeChain,
  parseMachines,
  type StateRecord,
  type StateStore,
  TransitionEngine,
} from '@flagstate/core';
import {
  anyHandedReads,
  createAuditRecordFactory,
  describeUnusableSubject,
  type EvaluationFacts,
  readSubject,
  takeHandedRead,
} from '@flagstate/core/internal';
import {
  type EvaluationDetails,
  type FlagValue,
  type Hook,
  type HookContext,
  type Logger,
  StandardResolutionReasons,
  TargetingKeyMissingError,
} from '@openfeature/server-sdk';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { FailureLog } from './internal/failure-log.js';
import { instruments, sources } from './internal/instruments.js';
import { MachineWarnings } from './internal/machine-warnings.js';
import { claimEvaluation, registerHookInstance } from './internal/seen-evaluations.js';
import { watchSinkFailures } from './internal/sink-failures.js';
import { noStateWarning, notAStateWarning, type Reported } from './internal/state-warning-text.js';
import { Telemetry } from './internal/telemetry.js';
import { metadataString, TELEMETRY_METADATA } from './internal/telemetry-metadata.js';
import type { FailureReporter } from './internal/telemetry-sources.js';
import { TransitionLogEvents, transitionEvents } from './internal/transition-events.js';
import type { StateTransitionHookOptions } from './state-transition-hook-options.js';
import { TRANSITION_EVENT } from './telemetry-names.js';

const START = 'flagstate.start';
/**
 * Start times are kept as whole microseconds modulo 2^30 (a small integer, which V8 stores
 * without allocating); durations are exact for evaluations shorter than about 17 minutes.
 */
const WRAP_US = 2 ** 30;
const nowUs = () => (Math.floor(performance.now() * 1000) % WRAP_US) | 0;

export interface StateTransitionHookStats {
  /** Evaluations of bound flags observed (steady ones included). */
  readonly observed: number;
  readonly errorEvaluations: number;
  readonly missingSubject: number;
  readonly missingState: number;
  readonly duplicates: number;
  /** Evaluations the provider could not enforce (no store, no usable subject): not observed. */
  readonly undecided: number;
  readonly failures: number;
}

/**
 * An OpenFeature server hook that treats each machine-bound flag evaluation as an observation
 * of the subject's state and turns every change into one audit record, one metric update and
 * one `flagstate.state_transition` event (a span event, a log-based event or both: the `events`
 * option). It never throws into an evaluation (unless `strictSubject` asks it to).
 */
export class StateTransitionHook implements Hook {
  #machines: MachineSet;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly #engine: TransitionEngine;
  readonly #build: ReturnType<typeof createAuditRecordFactory>;
  readonly #telemetry: Telemetry;
  /** The `events` option: a span event, a log-based event (when this is set), or both. */
  readonly #spanEvents: boolean;
  readonly #logEvents: TransitionLogEvents | undefined;
  readonly #strict: boolean;
  readonly #logger: Logger | undefined;
  readonly #failures = new FailureLog();
  readonly #maxSubjectLength: number;
  /** No usable subject, no state, not a state: each logged once per machine. */
  readonly #warnings = new MachineWarnings();
  // Read synchronously by the engine, so one object serves every evaluation.
  readonly #observation = {
    machine: undefined as unknown as Machine,
    subject: '',
    state: '',
    pending: undefined as string | undefined,
    heldReason: undefined as string | undefined,
    at: undefined as number | undefined,
    current: undefined as StateRecord | null | undefined,
  };
  #observed = 0;
  #errorEvaluations = 0;
  #missingSubject = 0;
  #missingState = 0;
  #duplicates = 0;
  #undecided = 0;
  #lastLogger: Logger | undefined;
  readonly #offPath: FailureReporter = {
    report: (kind, error) => this.#failures.report(this.#logger ?? this.#lastLogger, kind, error),
  };

  constructor(options: StateTransitionHookOptions) {
    this.#machines =
      options.machines instanceof MachineSet ? options.machines : parseMachines(options.machines);
    this.store = options.store ?? new LruStateStore();
    rejectMovedOptions(options);
    this.audit = options.audit ?? createAuditLog();
    this.#engine = new TransitionEngine({
      machines: this.#machines,
      store: this.store,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.#build = createAuditRecordFactory({
      ...(options.labels === undefined ? {} : { labels: options.labels }),
      ...(options.pseudonymize === undefined ? {} : { pseudonymize: options.pseudonymize }),
    });
    this.#telemetry = new Telemetry();
    const events = transitionEvents(options.events);
    this.#spanEvents = events !== 'log';
    // A failing logs SDK must cost neither the evaluation nor the chain's other records.
    this.#logEvents =
      events === 'span'
        ? undefined
        : new TransitionLogEvents((error) => this.#offPath.report('log event', error));
    this.#strict = options.strictSubject === true;
    this.#maxSubjectLength = options.maxSubjectLength ?? MAX_SUBJECT_LENGTH;
    if (!(Number.isInteger(this.#maxSubjectLength) && this.#maxSubjectLength >= 1)) {
      throw new RangeError(`maxSubjectLength must be a positive integer, got ${this.#maxSubjectLength}`);
    }
    this.#logger = options.logger;
    // Failures off the evaluation path (sinks, metric collection) have no hookContext: they go
    // to the configured logger, else to the last one an evaluation brought. The registries
    // hold this reporter weakly, so that a hook no one uses can be collected with its store.
    watchSinkFailures(this.audit, this.#offPath);
    sources.add(this.store, this.audit, this.#offPath);
    instruments();
    registerHookInstance();
  }

  get machines(): MachineSet {
    return this.#machines;
  }

  /** Swaps in reloaded machines; subjects migrate lazily at their next observation. */
  set machines(machines: MachineSet) {
    this.#machines = machines;
    this.#engine.machines = machines;
  }

  before(hookContext: HookContext): undefined {
    const machine = this.#machines.forFlag(hookContext.flagKey);
    if (machine === undefined) return undefined;
    // hookData is in every server SDK this package supports (>= 1.19); without it, no duration.
    hookContext.hookData?.set(START, nowUs());
    if (this.#strict && readSubject(hookContext.context, machine, this.#maxSubjectLength) === undefined) {
      throw new TargetingKeyMissingError(
        `flag "${hookContext.flagKey}" needs a subject at "${machine.subject}"`,
      );
    }
    return undefined;
  }

  finally(hookContext: Readonly<HookContext>, details: EvaluationDetails<FlagValue>): void | Promise<void> {
    const machine = this.#machines.forFlag(hookContext.flagKey);
    if (machine === undefined) return;
    this.#lastLogger = hookContext.logger;
    try {
      if (details.reason === StandardResolutionReasons.ERROR || details.errorCode !== undefined) {
        this.#errorEvaluations++;
        return;
      }
      if (!claimEvaluation(details)) {
        this.#duplicates++;
        return;
      }
      const subject = readSubject(hookContext.context, machine, this.#maxSubjectLength);
      if (subject === undefined) {
        this.#missingSubject++;
        this.#logUnusableSubject(hookContext, machine);
        return;
      }
      const state = machine.stateOf(details.variant, details.value);
      if (state === undefined) {
        this.#missingState++;
        this.#warnings.warn(this.#loggerOf(hookContext), machine.id, 'no-state', () =>
          noStateWarning(machine, reported(hookContext, details)),
        );
        return;
      }
      const meta = details.flagMetadata;
      // A hold counts only with the target it held back from, as the flagstate provider gives both.
      const requested = meta[METADATA.requested];
      const held = typeof requested === 'string' ? meta[METADATA.held] : undefined;
      // Enforcement could not decide (no store, no usable subject): what was served is the
      // policy's answer, not a state the engine may judge; the provider leaves the evidence.
      if (held === 'store_unavailable' || held === 'subject_unusable') {
        this.#undecided++;
        return;
      }
      this.#observed++;
      const o = this.#observation;
      o.machine = machine;
      o.subject = subject;
      o.state = state;
      o.pending = held === undefined ? undefined : (requested as string);
      o.heldReason = held === undefined ? undefined : String(held);
      // The flagstate provider hands over what it read from an asynchronous store to decide.
      o.current = anyHandedReads() ? this.#handedRead(hookContext, machine, subject) : undefined;
      const outcome = this.#engine.observe(o);
      if (outcome instanceof Promise) {
        return outcome.then(
          (result) => this.#report(hookContext, details, result),
          (error: unknown) => this.#failures.report(hookContext.logger ?? this.#logger, 'state store', error),
        );
      }
      if (outcome.kind !== 'steady') return this.#report(hookContext, details, outcome);
    } catch (error) {
      this.#failures.report(hookContext.logger ?? this.#logger, 'state tracking', error);
    }
  }

  /** The record the provider read for this evaluation (`null`: none), if it handed one over. */
  #handedRead(
    hookContext: Readonly<HookContext>,
    machine: Machine,
    subject: string,
  ): StateRecord | null | undefined {
    const read = takeHandedRead(this.#engine.store, hookContext.context);
    if (read === undefined || read.machine !== machine.id || read.subject !== subject) return undefined;
    return read.record ?? null;
  }

  #logUnusableSubject(hookContext: Readonly<HookContext>, machine: Machine): void {
    this.#warnings.warn(this.#loggerOf(hookContext), machine.id, 'no-subject', () => {
      const got = describeUnusableSubject(hookContext.context, machine, this.#maxSubjectLength);
      return `flagstate: machine "${machine.id}": an evaluation of flag "${hookContext.flagKey}" has no usable subject at "${machine.subject}" (got ${got}): it is not tracked (counted in stats().missingSubject; logged once per machine)`;
    });
  }

  #loggerOf(hookContext: Readonly<HookContext>): Logger | undefined {
    return hookContext.logger ?? this.#logger;
  }

  stats(): StateTransitionHookStats {
    return {
      observed: this.#observed,
      errorEvaluations: this.#errorEvaluations,
      missingSubject: this.#missingSubject,
      missingState: this.#missingState,
      duplicates: this.#duplicates,
      undecided: this.#undecided,
      failures: this.#failures.total(),
    };
  }

  /**
   * One audit record, metric update and transition event per outcome of the chain, oldest first. In
   * strict durability, the evaluation waits until the records are on disk.
   */
  #report(
    hookContext: Readonly<HookContext>,
    details: EvaluationDetails<FlagValue>,
    outcome: Outcome,
  ): undefined | Promise<void> {
    if (outcome.kind === 'steady') return undefined;
    // Only a write can be the first sight of a state the machine lacks: steady ones cost nothing.
    const machine = outcome.machine;
    if (!machine.hasState(outcome.to)) {
      this.#warnings.warn(this.#loggerOf(hookContext), machine.id, 'not-a-state', () =>
        notAStateWarning(machine, outcome.to, reported(hookContext, details)),
      );
    }
    try {
      const started = hookContext.hookData?.get(START) as number | undefined;
      // Microseconds modulo 2^30 on both ends (see nowUs), so the difference wraps correctly.
      const durationNs =
        started === undefined ? undefined : Math.max(1, (nowUs() - started + WRAP_US) % WRAP_US) * 1000;
      const span = trace.getActiveSpan();
      const spanContext = span?.spanContext();
      const traced = spanContext !== undefined && isSpanContextValid(spanContext);
      const facts: EvaluationFacts = {
        flagKey: details.flagKey,
        variant: details.variant,
        reason: details.reason,
        providerName: hookContext.providerMetadata.name,
        // OpenFeature's Appendix D; the record falls back to the targeting key for the context id.
        contextId: metadataString(details.flagMetadata, TELEMETRY_METADATA.contextId),
        flagSetId: metadataString(details.flagMetadata, TELEMETRY_METADATA.flagSetId),
        flagVersion: versionOf(details.flagMetadata),
        context: hookContext.context,
        traceId: traced ? spanContext.traceId : undefined,
        spanId: traced ? spanContext.spanId : undefined,
        durationNs,
      };
      for (const o of outcomeChain(outcome)) {
        // Linked into the chain and serialised when the log writes, off the evaluation.
        this.audit.enqueue(this.#build(o, facts));
        const attrs = this.#telemetry.attributes(details.flagKey, o);
        // One evaluation, one duration: it belongs to the state the subject ends up in.
        this.#telemetry.record(details.flagKey, o, attrs, o === outcome ? durationNs : undefined);
        if (traced && this.#spanEvents) span!.addEvent(TRANSITION_EVENT, attrs);
        this.#logEvents?.emit(o, attrs);
      }
    } catch (error) {
      this.#failures.report(hookContext.logger ?? this.#logger, 'audit', error);
      return undefined;
    }
    if (this.audit.durability !== 'strict') return undefined;
    return this.audit
      .commit()
      .catch((error: unknown) =>
        this.#failures.report(hookContext.logger ?? this.#logger, 'audit commit', error),
      );
  }
}

/**
 * `service` and `namespace` were hook options once; they belong to the audit log, which stamps
 * every record (checkpoints included). Say so to a JavaScript caller rather than ignore them.
 */
function rejectMovedOptions(options: object): void {
  for (const key of ['service', 'namespace']) {
    if (key in options) {
      throw new TypeError(
        `${key} is an option of the audit log, which stamps every record: pass audit: createAuditLog({ ${key} })`,
      );
    }
  }
}

/** What the provider reported, for a warning. */
function reported(hookContext: Readonly<HookContext>, details: EvaluationDetails<FlagValue>): Reported {
  return {
    provider: hookContext.providerMetadata.name,
    flagKey: details.flagKey,
    variant: details.variant,
    value: details.value,
  };
}

/** OpenTelemetry's feature_flag.version: flag metadata `version` (Appendix D), the flag's or its set's. */
function versionOf(meta: Readonly<Record<string, string | number | boolean>>): string | undefined {
  return metadataString(meta, TELEMETRY_METADATA.version);
}
