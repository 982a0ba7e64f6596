/** Logs that must write what they hold if the process exits first. */
interface ClosableSync {
  closeSync(): void;
}

const openLogs = new Set<ClosableSync>();
let exitHookInstalled = false;

/** At exit (normal end, `process.exit()`), every open log writes what it holds, synchronously. */
export function closeAtExit(log: ClosableSync): void {
  openLogs.add(log);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const open of openLogs) open.closeSync();
  });
}

/** The log closed itself: nothing is left to write at exit. */
export function closedBeforeExit(log: ClosableSync): void {
  openLogs.delete(log);
}
