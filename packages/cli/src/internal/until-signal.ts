export interface SignalWait {
  /** The first of the signals received. */
  readonly received: Promise<NodeJS.Signals>;
  /** Stops listening, giving the signals back their default (ending the process). */
  cancel(): void;
}

/**
 * Listens for the first of `signals`. Listening replaces Node's default of dying on the
 * signal, so that the caller can finish its work and exit 0.
 */
export function untilSignal(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalWait {
  let cancel = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      cancel();
      resolve(signal);
    };
    cancel = () => {
      for (const s of signals) process.off(s, onSignal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
  return { received, cancel };
}
