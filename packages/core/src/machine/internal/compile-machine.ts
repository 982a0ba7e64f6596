import { parseDuration } from '../duration.js';
import { Machine, type StateDefinition } from '../machine.js';
import type { MachineDefinitionParsed } from '../machine-schema.js';
import type { Guard, Transition } from '../transition.js';
import { frozenCopy } from './deep-freeze.js';
import type { DefinitionProblems } from './definition-problems.js';
import { buildGraph } from './graph.js';
import type { DefinitionParts, Unreadable } from './lenient-definition.js';

/**
 * Checks the relations between a definition's fields and compiles it. A definition that could
 * only be read in part (`missing`) is checked as far as it goes and never compiled.
 */
export function compileMachine(
  id: string,
  def: DefinitionParts,
  missing: Unreadable,
  problems: DefinitionProblems,
): Machine | undefined {
  const at = (...path: PropertyKey[]) => ['machines', id, ...path];
  const names = Object.keys(def.states);
  const known = new Set(names);
  const list = `(states: ${names.join(', ')})`;
  const unknown = (state: string) => `unknown state "${state}" ${list}`;
  const before = problems.size;
  const statesKnown = !missing.states;

  if (statesKnown && names.length === 0) problems.add(at('states'), 'a machine needs at least one state');
  else if (statesKnown && !missing.initial && !known.has(def.initial)) {
    problems.add(at('initial'), unknown(def.initial));
  }

  const states: StateDefinition[] = names.map((name) => {
    const s = def.states[name]!;
    const minDwellMs = s.minDwell === undefined ? 0 : parseDuration(s.minDwell)!;
    const maxDwellMs = s.maxDwell === undefined ? Number.POSITIVE_INFINITY : parseDuration(s.maxDwell)!;
    if (minDwellMs > maxDwellMs) {
      problems.add(
        at('states', name, 'minDwell'),
        `minDwell (${s.minDwell}) is longer than maxDwell (${s.maxDwell}), so no stay could be valid`,
      );
    }
    return { name, minDwellMs, maxDwellMs, final: s.final === true };
  });

  const transitions = statesKnown ? compileTransitions(def, names, at, problems) : [];

  const flagsSeen = new Map<string, number>();
  def.flags.forEach((flag, i) => {
    if (flag === undefined) return;
    const first = flagsSeen.get(flag);
    if (first !== undefined)
      problems.add(at('flags', i), `flag "${flag}" is already listed at flags[${first}]`);
    else flagsSeen.set(flag, i);
  });

  if (def.subject.split('.').some((segment) => segment === '')) {
    problems.add(
      at('subject'),
      `"${def.subject}" is not an attribute path such as "targetingKey" or "user.id"`,
    );
  }

  if (statesKnown) checkStateMap(def.stateFrom, known, unknown, at('stateFrom'), problems);

  const migrations = new Map<number, ReadonlyMap<string, string>>();
  def.migrations.forEach((m, k) => {
    if (m === undefined) return;
    if (!missing.version && m.fromVersion >= def.version) {
      problems.add(
        at('migrations', k, 'fromVersion'),
        `fromVersion ${m.fromVersion} must be lower than the machine's version (${def.version})`,
      );
    }
    if (migrations.has(m.fromVersion)) {
      problems.add(
        at('migrations', k, 'fromVersion'),
        `a migration from version ${m.fromVersion} is already declared`,
      );
    }
    for (const [oldState, newState] of Object.entries(m.states)) {
      if (statesKnown && !known.has(newState)) {
        problems.add(
          at('migrations', k, 'states', oldState),
          `${unknown(newState)}: migration targets are states of ${missing.version ? 'this version' : `version ${def.version}`}`,
        );
      }
    }
    migrations.set(m.fromVersion, new Map(Object.entries(m.states)));
  });

  if (problems.size > before || missing.states || missing.initial || missing.version) return undefined;
  return new Machine({
    id,
    version: def.version,
    initial: def.initial,
    states,
    transitions,
    flags: def.flags as readonly string[],
    subject: def.subject,
    // A copy: the caller's document may change after parsing; the machine must not.
    stateFrom: typeof def.stateFrom === 'string' ? def.stateFrom : frozenCopy(def.stateFrom),
    enforcement: def.enforcement,
    migrations,
    graph: buildGraph(names, [...transitions].sort(byDeclaration(names))),
  });
}

/** Every state a `stateFrom` map names is one of the machine's. */
function checkStateMap(
  from: DefinitionParts['stateFrom'],
  known: ReadonlySet<string>,
  unknown: (state: string) => string,
  path: readonly PropertyKey[],
  problems: DefinitionProblems,
): void {
  if (typeof from === 'string') return;
  for (const kind of ['variant', 'value'] as const) {
    for (const [reported, state] of Object.entries(from[kind] ?? {})) {
      if (!known.has(state)) problems.add([...path, kind, reported], unknown(state));
    }
  }
}

function compileTransitions(
  def: DefinitionParts,
  names: readonly string[],
  at: (...path: PropertyKey[]) => PropertyKey[],
  problems: DefinitionProblems,
): Transition[] {
  const known = new Set(names);
  const unknown = (state: string) => `unknown state "${state}" (states: ${names.join(', ')})`;
  const isFinal = (state: string) => def.states[state]?.final === true;
  // Explicit sources beat a "*": a specific rule may carry its own name and guard.
  const explicit = new Map<string, number>();
  const wildcard = new Map<string, number>();
  const pairs: Array<{ from: string; to: string; index: number; wild: boolean; guard: Guard | undefined }> =
    [];
  def.transitions.forEach((t, index) => {
    if (t === undefined) return;
    const toKnown = known.has(t.to);
    if (!toKnown) problems.add(at('transitions', index, 'to'), unknown(t.to));
    const guard = compileGuard(t.guard, at('transitions', index, 'guard'), problems);
    const wild = t.from === '*';
    const sources: Array<[string, PropertyKey[]]> = wild
      ? names.filter((s) => s !== t.to && !isFinal(s)).map((s) => [s, at('transitions', index, 'from')])
      : typeof t.from === 'string'
        ? [[t.from, at('transitions', index, 'from')]]
        : t.from.map((s, k) => [s, at('transitions', index, 'from', k)]);
    const listed = new Set<string>();
    for (const [from, path] of sources) {
      if (listed.has(from)) {
        problems.add(path, `lists "${from}" twice`);
        continue;
      }
      listed.add(from);
      if (!known.has(from)) {
        problems.add(path, unknown(from));
        continue;
      }
      if (from === t.to) {
        problems.add(
          path,
          `a transition from "${from}" to itself is never taken: an equal observation is steady`,
        );
        continue;
      }
      if (isFinal(from)) {
        problems.add(path, `"${from}" is a final state and cannot have outgoing transitions`);
        continue;
      }
      if (!toKnown) continue;
      const key = `${from}\u0000${t.to}`;
      const seen = (wild ? wildcard : explicit).get(key);
      if (seen !== undefined) {
        problems.add(
          at('transitions', index),
          `duplicates transitions[${seen}] (from "${from}" to "${t.to}")`,
        );
        continue;
      }
      (wild ? wildcard : explicit).set(key, index);
      pairs.push({ from, to: t.to, index, wild, guard });
    }
  });
  return pairs
    .filter((p) => !(p.wild && explicit.has(`${p.from}\u0000${p.to}`)))
    .map((p) => {
      const name = def.transitions[p.index]!.name ?? `${p.from}->${p.to}`;
      return Object.freeze({ from: p.from, to: p.to, name, guard: p.guard, index: p.index });
    });
}

/** Declaration order: the document's transition index, then the order states were declared. */
function byDeclaration(names: readonly string[]) {
  const order = new Map(names.map((n, i) => [n, i]));
  return (a: Transition, b: Transition) => a.index - b.index || order.get(a.from)! - order.get(b.from)!;
}

function compileGuard(
  guard: MachineDefinitionParsed['transitions'][number]['guard'],
  path: PropertyKey[],
  problems: DefinitionProblems,
): Guard | undefined {
  if (guard === undefined) return undefined;
  const keys = Object.keys(guard);
  if (keys.includes('flag')) {
    if (keys.length === 1 && typeof guard.flag === 'string' && guard.flag !== '') {
      return Object.freeze({ kind: 'flag', flag: guard.flag });
    }
    problems.add(path, 'a flag guard is exactly { "flag": "<key of a boolean flag>" }');
    return undefined;
  }
  if (keys.length !== 1) {
    problems.add(
      path,
      `a JSON Logic rule has exactly one operator key, got ${keys.length}${keys.length ? ` (${keys.join(', ')})` : ''}`,
    );
    return undefined;
  }
  // A copy: the caller's document may change after parsing; the machine must not.
  return Object.freeze({ kind: 'logic', rule: frozenCopy(guard) });
}
