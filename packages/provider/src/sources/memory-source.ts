import { MemoryFlagSource } from './memory-flag-source.js';

/**
 * A document held in memory (an object or JSON/YAML text); its `update(document)` replaces it,
 * as a reload: `memorySink`'s counterpart.
 */
export function memorySource(document: unknown, name = 'memory'): MemoryFlagSource {
  return new MemoryFlagSource(document, name);
}
