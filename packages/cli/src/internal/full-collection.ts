import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection on demand, or undefined if V8 will not give one. A command that
 * reads gigabytes in a process whose heap limit is a quarter of the machine's memory lets V8
 * keep far more dead objects than live ones: collecting every few hundred MiB of input keeps
 * memory at what is live. Node cannot set heap limits after start-up; `--expose-gc` it can, and
 * a new context then has `gc`.
 */
export function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
