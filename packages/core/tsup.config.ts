import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // canonicalize is ESM-only and tiny: bundled, so that require() works on every Node 20.
  noExternal: ['canonicalize'],
});
