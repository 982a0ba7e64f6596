// Errors the hook logs during evaluations: they go to the OpenFeature client's logger.
import { OpenFeature } from '@openfeature/server-sdk';
import { onTestFinished } from 'vitest';

/** Collects the error lines logged until the end of the test. */
export function captureEvaluationLogs(): string[] {
  const errors: string[] = [];
  OpenFeature.setLogger({ error: (m: string) => errors.push(m), warn() {}, info() {}, debug() {} });
  onTestFinished(() => {
    OpenFeature.setLogger(console);
  });
  return errors;
}
