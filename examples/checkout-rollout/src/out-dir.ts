import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

// The demo's own files: the flag file (and its staging copy), the step files, the audit log
// and the state snapshot of the durable setup.
const OURS = /^(?:flags\.yaml(?:\.tmp)?|steps|audit\.ndjson(?:\.\d+)?|state\.snapshot(?:\.tmp)?)$/;

/**
 * Removes the previous run's files, and only those (the folder may be one the user pointed
 * DEMO_OUT_DIR at), and makes sure the folder exists.
 */
export async function cleanOutDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (OURS.test(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
}
