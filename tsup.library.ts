// The build every library package shares: ESM and CommonJS with their own types, for Node 20.
import { defineConfig, type Options } from 'tsup';

/** A library build of `entry`; `extra` adds what one package needs beyond the rest. */
export function library(entry: string[], extra: Options = {}) {
  return defineConfig({
    entry,
    // One copy of shared modules for every entry, in CommonJS as in ESM.
    ...(entry.length > 1 ? { splitting: true } : {}),
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    ...extra,
  });
}
