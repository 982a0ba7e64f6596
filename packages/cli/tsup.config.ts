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
    // The diagram renderers, importable by the demo and by users: `@flagstate/cli/graph`.
    entry: { 'graph/index': 'src/graph/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
