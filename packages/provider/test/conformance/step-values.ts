import type { EvaluationContextValue, JsonValue } from '@openfeature/server-sdk';

/** The flag types of the step language: `a <Type>-flag with key ...`. */
export type FlagType = 'Boolean' | 'String' | 'Integer' | 'Float' | 'Object';

export const FLAG_TYPES: readonly FlagType[] = ['Boolean', 'String', 'Integer', 'Float', 'Object'];

export function isFlagType(text: string): text is FlagType {
  return (FLAG_TYPES as readonly string[]).includes(text);
}

export function parseBoolean(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`expected "true" or "false", got "${text}"`);
}

export function parseInteger(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Error(`expected an integer, got "${text}"`);
  return Number.parseInt(text, 10);
}

export function parseFloatValue(text: string): number {
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text))
    throw new Error(`expected a number, got "${text}"`);
  return Number.parseFloat(text);
}

/** JSON as Gherkin cells write it: quotes may be escaped (`{\"a\": 1}`). */
export function parseObject(text: string): JsonValue {
  return JSON.parse(text.replaceAll('\\"', '"')) as JsonValue;
}

/** A value written in a step, read as `type`. */
export function parseFlagValue(type: FlagType, text: string): JsonValue {
  switch (type) {
    case 'Boolean':
      return parseBoolean(text);
    case 'String':
      return text;
    case 'Integer':
      return parseInteger(text);
    case 'Float':
      return parseFloatValue(text);
    case 'Object':
      return parseObject(text);
  }
}

/** A context or metadata value written in a step with its type name (`String`, `Integer`, `DateTime`...). */
export function parseTypedValue(type: string, text: string): EvaluationContextValue {
  switch (type) {
    case 'String':
      return text;
    case 'Integer':
    case 'Long':
      return parseInteger(text);
    case 'Float':
    case 'Double':
      return parseFloatValue(text);
    case 'Boolean':
      return parseBoolean(text);
    case 'DateTime': {
      const date = new Date(text);
      if (Number.isNaN(date.getTime())) throw new Error(`expected a date-time, got "${text}"`);
      return date;
    }
    case 'Object':
      return parseObject(text);
    default:
      throw new Error(`unknown value type "${type}"`);
  }
}
