import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRollout } from './fixtures/audit-files.js';
import { checkoutDocument } from './fixtures/documents.js';
import { CLI, tempDir } from './fixtures/run-cli.js';
import { writeDocument } from './fixtures/write-document.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const audit = tmp.path('audit.ndjson');
const flags = tmp.path('flags.json');

beforeAll(async () => {
  await writeRollout(audit, { subjects: 3 });
  writeDocument(flags, checkoutDocument);
});

/**
 * A module hook that names on stderr each zod module the main thread loads: zod's schemas cost
 * a fifth of a second to load, per thread. Node 20 runs neither `--import` nor the hook in
 * worker threads, but a worker (dist/audit-worker.js) imports only a chunk the main thread
 * imports too, so what the main thread loads bounds what a worker does.
 */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { if (/[\\\\/]zod[\\\\/]/.test(url)) process.stderr.write('zod loaded: ' + url + '\\\\n'); return next(url, context); }"
));
`)}`;

function zodLoaded(args: readonly string[]): boolean {
  const result = spawnSync(process.execPath, ['--import', HOOK, CLI, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return result.stderr.includes('zod loaded: ');
}

describe('start-up', { timeout: 60_000 }, () => {
  it('validate loads the provider, and with it zod (the hook sees it)', () => {
    expect(zodLoaded(['validate', flags])).toBe(true);
  });

  it.each([['verify', '--allow-open'], ['replay'], ['tail', '--json']])('%s does not load zod', (...args) => {
    expect(zodLoaded([...args, audit])).toBe(false);
  });
});
