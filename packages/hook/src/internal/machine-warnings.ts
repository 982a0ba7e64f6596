import type { Logger } from '@openfeature/server-sdk';

/** What an evaluation can get wrong about a machine that is worth one warning, not one per evaluation. */
export type MachineWarningKind = 'no-subject' | 'no-state' | 'not-a-state';

/** Warnings logged once per machine and kind; the message is built only the first time. */
export class MachineWarnings {
  readonly #logged = new Set<string>();

  warn(logger: Logger | undefined, machine: string, kind: MachineWarningKind, message: () => string): void {
    const key = `${kind}\u0000${machine}`;
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    try {
      logger?.warn(message());
    } catch {
      // A logger that throws must not reach the evaluation.
    }
  }
}
