// Checks each evaluation of a replica against what Redis held while it ran (the test runs one
// evaluation at a time, so nothing else writes meanwhile):
// - a get answered from memory returns the record this replica last read from or wrote to
//   Redis, at most nearCacheMs after that round trip; a get that went to Redis returns Redis's;
// - every write follows Redis's record, and the audit records name exactly those writes;
// - a lost compare-and-set comes only from a decision on a cached record Redis had moved past;
// - an evaluation that wrote nothing was steady on Redis's record, or else on the fresh cached
//   record it decided from: the one miss the README allows, counted by what Redis had changed.
import { isDeepStrictEqual } from 'node:util';
import type { MachineSet, StateRecord } from '@flagstate/core';
import type { RedisStateStore } from '@flagstate/redis';
import type { Replica } from './replica.js';
import { isSteady } from './steady-oracle.js';

export type MissKind = 'moved' | 'lost' | 'hold' | 'dwell';

interface Cached {
  readonly record: StateRecord;
  /** `performance.now()` when the round trip that brought it ended. */
  readonly at: number;
}

const show = (r: StateRecord | undefined) =>
  r === undefined ? 'nothing' : `${r.state} v${r.version}${r.pending ? ` (pending ${r.pending})` : ''}`;

export class EvaluationAuditor {
  readonly problems: string[] = [];
  readonly counts = {
    evaluations: 0,
    hits: 0,
    races: 0,
    writes: 0,
    misses: { moved: 0, lost: 0, hold: 0, dwell: 0 } as Record<MissKind, number>,
  };
  /** A store without near-cache: what Redis holds. */
  readonly #truth: RedisStateStore;
  readonly #machines: MachineSet;
  readonly #cached = new Map<string, Map<string, Cached>>();
  #n = 0;

  constructor(truth: RedisStateStore, machines: MachineSet) {
    this.#truth = truth;
    this.#machines = machines;
  }

  /** Evaluates `subject` on `replica`, then checks what it did. */
  async evaluate(replica: Replica, subject: string): Promise<void> {
    const id = `${replica.name}#${++this.#n}`;
    const before = await this.#truth.get('checkout', subject);
    const at = Date.now();
    const from = replica.recording.calls.length;
    const details = await replica.evaluate(subject, id);
    const after = await this.#truth.get('checkout', subject);
    const calls = replica.recording.since(from);
    const records = (await replica.records()).filter((r) => r.labels?.evaluation === id);
    const problem = (message: string) => this.problems.push(`${id} ${subject}: ${message}`);
    this.counts.evaluations++;
    const cache = this.#cached.get(replica.name) ?? new Map<string, Cached>();
    this.#cached.set(replica.name, cache);

    // The store's calls, in order, against what Redis held at each.
    let redis = before;
    let lastGet: (typeof calls)[number] | undefined;
    for (const call of calls) {
      if (call.error !== undefined) problem(`a store call failed: ${String(call.error)}`);
      if (call.op === 'get') {
        const entry = cache.get(subject);
        if (call.sync) {
          this.counts.hits++;
          if (entry === undefined)
            problem(`answered ${show(call.record)} from memory, never read or written`);
          else if (!isDeepStrictEqual(call.record, entry.record)) {
            problem(`answered ${show(call.record)} from memory; this replica last saw ${show(entry.record)}`);
          } else if (call.started - entry.at > replica.nearCacheMs) {
            problem(`answered from memory ${Math.round(call.started - entry.at)} ms after its round trip`);
          }
        } else {
          if (!isDeepStrictEqual(call.record, redis)) {
            problem(`read ${show(call.record)} from Redis, which held ${show(redis)}`);
          }
          if (call.record === undefined) cache.delete(subject);
          else cache.set(subject, { record: call.record, at: call.ended });
        }
        lastGet = call;
      } else if (call.written === true) {
        redis = call.record;
        cache.set(subject, { record: call.record!, at: call.ended });
      } else {
        cache.delete(subject);
        if (!(lastGet?.sync === true && !isDeepStrictEqual(lastGet.record, redis))) {
          problem(`lost a compare-and-set after reading what Redis held (${show(redis)})`);
        }
      }
    }
    if (!isDeepStrictEqual(after, redis))
      problem(`Redis holds ${show(after)}, its writes left ${show(redis)}`);

    // The audit records: one per write, each from the record before it; one per lost race.
    const written = calls.filter((c) => c.op === 'compareAndSet' && c.written === true);
    const writes = records.filter((r) => r.event.action !== 'state-race');
    const races = records.length - writes.length;
    this.counts.writes += writes.length;
    this.counts.races += races;
    if (races !== calls.filter((c) => c.op === 'compareAndSet' && c.written === false).length) {
      problem(`${races} race records for the compare-and-sets it lost`);
    }
    if (writes.length !== written.length)
      problem(`${writes.length} write records for ${written.length} writes`);
    let previous = before;
    writes.forEach((w, i) => {
      const sc = w.state_change!;
      const record = written[i]?.record;
      if (sc.subject_version !== (previous?.version ?? 0) + 1 || sc.from !== previous?.state) {
        problem(`recorded v${sc.subject_version} from ${sc.from}, but Redis held ${show(previous)}`);
      }
      if (record !== undefined && (sc.to !== record.state || sc.subject_version !== record.version)) {
        problem(`recorded ${sc.to} v${sc.subject_version}, but wrote ${show(record)}`);
      }
      previous = record;
    });

    // Nothing written: steady on what Redis held, or a miss the README allows.
    if (written.length > 0) return;
    const meta = details.flagMetadata;
    const held = typeof meta['flagstate.requested'] === 'string' ? meta['flagstate.held'] : undefined;
    const observation = {
      state: details.variant!,
      pending: held === undefined ? undefined : String(meta['flagstate.requested']),
      heldReason: held === undefined ? undefined : String(held),
    };
    if (isSteady(this.#machines, before, subject, observation, at)) return;
    const cached = lastGet?.sync === true ? lastGet.record : undefined;
    const decidedFromCache = calls.every((c) => c.op === 'get') && cached !== undefined;
    if (!decidedFromCache || !isSteady(this.#machines, cached, subject, observation, at)) {
      problem(`served ${observation.state} and wrote nothing, though Redis held ${show(before)}`);
      return;
    }
    const kind: MissKind =
      before === undefined
        ? 'lost'
        : before.state !== cached.state
          ? 'moved'
          : before.pending !== cached.pending
            ? 'hold'
            : 'dwell';
    this.counts.misses[kind]++;
  }
}
