import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the CommonJS test loads the built package on purpose.
    alias: {
      '@flagstate/core': src('core'),
      '@flagstate/hook': src('hook'),
      '@flagstate/provider': src('provider'),
      '@flagstate/redis': src('redis'),
    },
  },
  test: {
    projects: [
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
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
