import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The worker threads of verify and replay run dist/audit-worker.js, next to the CLI.
    entry: { cli: 'src/cli.ts', 'audit-worker': 'src/internal/audit-worker.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The diagram renderers, importable by the demo and by users: `@flagstate/cli/graph`, as ESM
    // (graph/index.js, .d.ts) and as CommonJS (graph/index.cjs, .d.cts), like the libraries.
    entry: { 'graph/index': 'src/graph/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
