import { METER_NAME } from '@flagstate/hook';
import { type Counter, metrics } from '@opentelemetry/api';

/**
 * A counter on the hook's meter that follows the global MeterProvider: an SDK registered (or
 * replaced) after the provider was built still gets the points.
 */
export function providerCounter(name: string, description: string, unit: string): () => Counter {
  let made: { provider: unknown; counter: Counter } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (made?.provider !== provider) {
      made = { provider, counter: provider.getMeter(METER_NAME).createCounter(name, { description, unit }) };
    }
    return made.counter;
  };
}
