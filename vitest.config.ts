import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the CommonJS test loads the built package on purpose.
    alias: [
      { find: /^@flagstate\/core$/, replacement: src('core') },
      {
        find: /^@flagstate\/core\/internal$/,
        replacement: fileURLToPath(new URL('./packages/core/src/internal-api.ts', import.meta.url)),
      },
      { find: /^@flagstate\/hook$/, replacement: src('hook') },
      { find: /^@flagstate\/provider$/, replacement: src('provider') },
      { find: /^@flagstate\/redis$/, replacement: src('redis') },
    ],
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
