import { parseDuration } from './duration.js';
import { checkFlagBindings } from './internal/check-flag-bindings.js';
import { DefinitionProblems } from './internal/definition-problems.js';
import { describeValue } from './internal/describe-value.js';
import { buildGraph } from './internal/graph.js';
import { toDefinitionIssues, zodErrorMap } from './internal/zod-issues.js';
import { type Guard, Machine, type StateDefinition, type Transition } from './machine.js';
import { MachineDefinitionError } from './machine-definition-error.js';
import {
  MACHINE_ID_PATTERN,
  type MachineDefinitionParsed,
  machineDefinitionSchema,
} from './machine-schema.js';
import { MachineSet } from './machine-set.js';

export interface ParseMachinesOptions {
  /** Named in the error message, e.g. the file the document came from. */
  readonly source?: string;
}

/**
 * Validates the `machines` of a document (a flagd flag document, or one holding only
 * machines) and compiles them. Throws `MachineDefinitionError` listing every problem.
 */
export function parseMachines(doc: unknown, options: ParseMachinesOptions = {}): MachineSet {
  const problems = new DefinitionProblems();
  const machines: Machine[] = [];
  const parsed: Record<string, MachineDefinitionParsed> = {};
  const boundBy = new Map<string, string>();

  const raw = isObject(doc) ? doc.machines : undefined;
  if (!isObject(doc)) problems.add([], `expected a document object, got ${describeValue(doc)}`);
  else if (raw !== undefined && !isObject(raw)) {
    problems.add(['machines'], `expected an object of machines by id, got ${describeValue(raw)}`);
  }

  // Each machine is checked on its own, so that one bad machine does not hide another's problems.
  for (const [id, definition] of Object.entries(isObject(raw) ? raw : {})) {
    if (!MACHINE_ID_PATTERN.test(id)) {
      problems.add(
        ['machines', id],
        `machine id ${JSON.stringify(id)} must start with a letter or digit and hold only letters, digits, "_", "." and "-"`,
      );
      continue;
    }
    const result = machineDefinitionSchema.safeParse(definition, { error: zodErrorMap });
    if (!result.success) {
      problems.addAll(toDefinitionIssues(result.error, ['machines', id]));
      continue;
    }
    const def = result.data;
    parsed[id] = def;
    def.flags.forEach((flag, i) => {
      const other = boundBy.get(flag);
      if (other !== undefined && other !== id) {
        problems.add(['machines', id, 'flags', i], `flag "${flag}" is already bound to machine "${other}"`);
      } else boundBy.set(flag, id);
    });
    const machine = compileMachine(id, def, problems);
    if (machine) machines.push(machine);
  }
  if (isObject(doc) && doc.flags !== undefined) checkFlagBindings(doc.flags, parsed, problems);

  if (problems.size > 0) throw new MachineDefinitionError(problems.list(), options.source);
  return new MachineSet(machines);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems found by `parseMachines`, without throwing; empty when the document is valid. */
export function checkMachines(doc: unknown): MachineDefinitionError | undefined {
  try {
    parseMachines(doc);
    return undefined;
  } catch (error) {
    if (error instanceof MachineDefinitionError) return error;
    throw error;
  }
}

function compileMachine(id: string, def: MachineDefinitionParsed, problems: DefinitionProblems) {
  const at = (...path: PropertyKey[]) => ['machines', id, ...path];
  const names = Object.keys(def.states);
  const known = new Set(names);
  const list = `(states: ${names.join(', ')})`;
  const unknown = (state: string) => `unknown state "${state}" ${list}`;
  const before = problems.size;

  if (names.length === 0) problems.add(at('states'), 'a machine needs at least one state');
  else if (!known.has(def.initial)) problems.add(at('initial'), unknown(def.initial));

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
  const isFinal = (state: string) => def.states[state]?.final === true;

  // Explicit sources beat a "*": a specific rule may carry its own name and guard.
  const explicit = new Map<string, number>();
  const wildcard = new Map<string, number>();
  const pairs: Array<{ from: string; to: string; index: number; wild: boolean; guard: Guard | undefined }> =
    [];
  def.transitions.forEach((t, index) => {
    const toKnown = known.has(t.to);
    if (!toKnown) problems.add(at('transitions', index, 'to'), unknown(t.to));
    const guard = compileGuard(t.guard, at('transitions', index, 'guard'), problems);
    const wild = t.from === '*';
    const sources: Array<[string, PropertyKey[]]> = wild
      ? names.filter((s) => s !== t.to && !isFinal(s)).map((s) => [s, at('transitions', index, 'from')])
      : typeof t.from === 'string'
        ? [[t.from, at('transitions', index, 'from')]]
        : t.from.map((s, k) => [s, at('transitions', index, 'from', k)]);
    for (const [from, path] of sources) {
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
  const transitions: Transition[] = pairs
    .filter((p) => !(p.wild && explicit.has(`${p.from}\u0000${p.to}`)))
    .map((p) => {
      const name = def.transitions[p.index]!.name ?? `${p.from}->${p.to}`;
      return Object.freeze({ from: p.from, to: p.to, name, guard: p.guard, index: p.index });
    });

  const flagsSeen = new Map<string, number>();
  def.flags.forEach((flag, i) => {
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

  const migrations = new Map<number, ReadonlyMap<string, string>>();
  def.migrations.forEach((m, k) => {
    if (m.fromVersion >= def.version) {
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
      if (!known.has(newState)) {
        problems.add(
          at('migrations', k, 'states', oldState),
          `${unknown(newState)}: migration targets are states of version ${def.version}`,
        );
      }
    }
    migrations.set(m.fromVersion, new Map(Object.entries(m.states)));
  });

  if (problems.size > before) return undefined;
  return new Machine({
    id,
    version: def.version,
    initial: def.initial,
    states,
    transitions,
    flags: def.flags,
    subject: def.subject,
    stateFrom: def.stateFrom,
    enforcement: def.enforcement,
    migrations,
    graph: buildGraph(names, [...transitions].sort(byDeclaration(names))),
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
  return Object.freeze({ kind: 'logic', rule: guard });
}
