import { isObject } from '@flagstate/audit/internal';
import type { z } from 'zod';
import {
  type MachineDefinitionParsed,
  machineDefinitionSchema,
  migrationDefinitionSchema,
  stateDefinitionSchema,
  transitionDefinitionSchema,
} from '../machine-schema.js';

type Parsed = MachineDefinitionParsed;

/** A definition as far as it could be read: entries that failed validation are `undefined`. */
export interface DefinitionParts extends Omit<Parsed, 'flags' | 'transitions' | 'migrations'> {
  readonly flags: ReadonlyArray<string | undefined>;
  readonly transitions: ReadonlyArray<Parsed['transitions'][number] | undefined>;
  readonly migrations: ReadonlyArray<Parsed['migrations'][number] | undefined>;
}

/** What a partly read definition lacks, so that checks depending on it are skipped. */
export interface Unreadable {
  readonly states: boolean;
  readonly initial: boolean;
  readonly version: boolean;
}

const NOTHING_MISSING: Unreadable = { states: false, initial: false, version: false };

/** A definition that passed validation: every part is there. */
export function completeParts(def: Parsed): { parts: DefinitionParts; missing: Unreadable } {
  return { parts: def, missing: NOTHING_MISSING };
}

/**
 * Reads what it can of a definition that failed validation, so that the relations between
 * its valid parts are still checked: one bad field does not hide the document's other problems.
 */
export function readParts(raw: unknown): { parts: DefinitionParts; missing: Unreadable } | undefined {
  if (!isObject(raw)) return undefined;
  const shape = machineDefinitionSchema.shape;
  const version = valid(shape.version, raw.version);
  const initial = valid(shape.initial, raw.initial);
  const rawStates = raw.states;
  const states = isObject(rawStates)
    ? Object.fromEntries(
        Object.keys(rawStates)
          .filter((name) => name !== '')
          .map((name) => [name, valid(stateDefinitionSchema, rawStates[name]) ?? {}]),
      )
    : undefined;
  const parts: DefinitionParts = {
    version: version ?? 1,
    initial: initial ?? '',
    states: states ?? {},
    transitions: each(transitionDefinitionSchema, raw.transitions),
    flags: Array.isArray(raw.flags)
      ? raw.flags.map((f) => (typeof f === 'string' && f !== '' ? f : undefined))
      : [],
    subject: valid(shape.subject, raw.subject) ?? 'targetingKey',
    stateFrom: valid(shape.stateFrom, raw.stateFrom) ?? 'variant',
    enforcement: valid(shape.enforcement, raw.enforcement) ?? 'audit',
    migrations: each(migrationDefinitionSchema, raw.migrations),
  };
  return {
    parts,
    missing: { states: states === undefined, initial: initial === undefined, version: version === undefined },
  };
}

function valid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function each<S extends z.ZodType>(schema: S, value: unknown): Array<z.output<S> | undefined> {
  return Array.isArray(value) ? value.map((item) => valid(schema, item)) : [];
}
