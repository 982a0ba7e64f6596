import type { FileFollower } from './follow-file.js';

/**
 * Reads what every followed path gained since the last poll, in an order that keeps records in
 * the order written across a rotation: first the files being read, to their end (among them
 * the file just renamed away), then the files newly found at the paths, least recently written
 * first. So when `audit.ndjson` was rotated twice between polls, its follower's new file comes
 * after the one that `audit.ndjson.1` now holds, whatever the order the paths were given in.
 */
export function pollFollowers(followers: readonly FileFollower[]): void {
  for (const follower of followers) follower.drain();
  const moved: { follower: FileFollower; mtimeMs: number }[] = [];
  for (const follower of followers) {
    const mtimeMs = follower.checkPath();
    if (mtimeMs !== undefined) moved.push({ follower, mtimeMs });
  }
  moved.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const { follower } of moved) follower.advance();
}
