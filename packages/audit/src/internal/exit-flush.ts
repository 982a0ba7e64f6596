/** Logs that must write what they hold if the process exits or is told to stop first. */
interface ClosableSync {
  /** Writes what is queued and the closing checkpoint, synchronously. */
  closeSync(): void;
  /** Writes what is queued, synchronously, and leaves the log open. */
  flushSync(): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

// Held weakly, as pino's on-exit-leak-free does: a log nobody references can be collected.
const openLogs = new Set<WeakRef<ClosableSync>>();
const refs = new WeakMap<ClosableSync, WeakRef<ClosableSync>>();
const registry = new FinalizationRegistry<WeakRef<ClosableSync>>((ref) => openLogs.delete(ref));
let installed = false;

function each(fn: (log: ClosableSync) => void): void {
  for (const ref of [...openLogs]) {
    const log = ref.deref();
    if (log === undefined) {
      openLogs.delete(ref);
      continue;
    }
    try {
      fn(log);
    } catch (error) {
      // At exit nothing asynchronous runs: say it now, and let the other logs write theirs.
      process.stderr.write(`flagstate: writing an audit log at exit failed: ${String(error)}\n`);
    }
  }
}

/**
 * SIGTERM and SIGINT end a process without its `exit` event. Alone, we close every log and
 * stop the process the way the signal would have. Beside the application's own handler, we
 * only write what is queued: the application decides when to exit (and may evaluate flags
 * while it drains), and its exit closes the logs.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) {
    each((log) => log.flushSync());
    return;
  }
  each((log) => log.closeSync());
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

/**
 * At exit (normal end, `process.exit()`, an uncaught exception) and on SIGTERM/SIGINT, every
 * open log writes what it holds, synchronously.
 */
export function closeAtExit(log: ClosableSync): void {
  const ref = new WeakRef(log);
  refs.set(log, ref);
  openLogs.add(ref);
  registry.register(log, ref, ref);
  if (installed) return;
  installed = true;
  process.on('exit', () => each((open) => open.closeSync()));
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** The log closed itself: nothing is left to write at exit. */
export function closedBeforeExit(log: ClosableSync): void {
  const ref = refs.get(log);
  if (ref === undefined) return;
  openLogs.delete(ref);
  registry.unregister(ref);
  refs.delete(log);
}
