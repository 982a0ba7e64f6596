import type { Client, EvaluationContext, EvaluationDetails, JsonValue } from '@openfeature/server-sdk';
import type { FlagType } from './step-values.js';

function wrongFallback(type: FlagType, fallback: JsonValue): Error {
  return new Error(`a ${type} flag needs a ${type} fallback, got ${JSON.stringify(fallback)}`);
}

/** Evaluates a flag with details, through the client method of its type (numbers for Integer and Float). */
export async function evaluateDetails(
  client: Client,
  type: FlagType,
  key: string,
  fallback: JsonValue,
  context: EvaluationContext,
): Promise<EvaluationDetails<JsonValue>> {
  switch (type) {
    case 'Boolean':
      if (typeof fallback !== 'boolean') throw wrongFallback(type, fallback);
      return client.getBooleanDetails(key, fallback, context);
    case 'String':
      if (typeof fallback !== 'string') throw wrongFallback(type, fallback);
      return client.getStringDetails(key, fallback, context);
    case 'Integer':
    case 'Float':
      if (typeof fallback !== 'number') throw wrongFallback(type, fallback);
      return client.getNumberDetails(key, fallback, context);
    case 'Object':
      return client.getObjectDetails(key, fallback, context);
  }
}

/** Evaluates a flag's value only, through the client method of its type. */
export async function evaluateValue(
  client: Client,
  type: FlagType,
  key: string,
  fallback: JsonValue,
  context: EvaluationContext,
): Promise<JsonValue> {
  switch (type) {
    case 'Boolean':
      if (typeof fallback !== 'boolean') throw wrongFallback(type, fallback);
      return client.getBooleanValue(key, fallback, context);
    case 'String':
      if (typeof fallback !== 'string') throw wrongFallback(type, fallback);
      return client.getStringValue(key, fallback, context);
    case 'Integer':
    case 'Float':
      if (typeof fallback !== 'number') throw wrongFallback(type, fallback);
      return client.getNumberValue(key, fallback, context);
    case 'Object':
      return client.getObjectValue(key, fallback, context);
  }
}
