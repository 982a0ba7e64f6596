import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const internal = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/internal-api.ts`, import.meta.url));

export default defineConfig({
  // The repository, wherever vitest starts: `pnpm test` inside a package runs its project.
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    // Tests run against the sources; the CommonJS test loads the built package on purpose.
    alias: [
      { find: /^@flagstate\/audit$/, replacement: src('audit') },
      { find: /^@flagstate\/audit\/internal$/, replacement: internal('audit') },
      { find: /^@flagstate\/core$/, replacement: src('core') },
      { find: /^@flagstate\/core\/internal$/, replacement: internal('core') },
      { find: /^@flagstate\/hook$/, replacement: src('hook') },
      { find: /^@flagstate\/provider$/, replacement: src('provider') },
      { find: /^@flagstate\/redis$/, replacement: src('redis') },
    ],
  },
  test: {
    // Headroom for property tests on a shared 2-core machine; speed is measured in benchmarks.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'audit', include: ['packages/audit/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'core', include: ['packages/core/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'hook', include: ['packages/hook/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'provider', include: ['packages/provider/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'redis', include: ['packages/redis/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'contracts', include: ['contract-tests/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'examples', include: ['examples/*/test/**/*.test.ts'] },
      },
    ],
    // Absolute, so that `pnpm test` inside a package finds it too.
    reporters: ['default', fileURLToPath(new URL('./scripts/summary-reporter.ts', import.meta.url))],
  },
});
