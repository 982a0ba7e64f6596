import type { FileFollower } from './follow-file.js';

/**
 * Reads what every followed path gained since the last poll, in an order that keeps records in
 * the order written across a rotation: first the files being read, to their end (among them
 * the file just renamed away), then the files newly found at the paths (or truncated in place),
 * older names first: `audit.ndjson.2`, `audit.ndjson.1`, then `audit.ndjson`, as rotation moves
 * a file from one to the next. Paths not named that way go least recently written first. So
 * when `audit.ndjson` was rotated twice between polls, its follower's new file comes after the
 * one that `audit.ndjson.1` now holds, whatever the order the paths were given in.
 */
export function pollFollowers(followers: readonly FileFollower[]): void {
  for (const follower of followers) follower.drain();
  const moved: { follower: FileFollower; rank: number; mtimeMs: number }[] = [];
  for (const follower of followers) {
    const mtimeMs = follower.checkPath();
    if (mtimeMs !== undefined) moved.push({ follower, rank: rotationRank(follower.path), mtimeMs });
  }
  // mtimes alone would not do: a file system keeps them to a clock tick, in which a writer
  // finishes one file and starts the next.
  moved.sort((a, b) => b.rank - a.rank || a.mtimeMs - b.mtimeMs);
  for (const { follower } of moved) follower.advance();
}

/** N for a path ending in `.N` (a rotated file's name), else 0. */
function rotationRank(path: string): number {
  const suffix = /\.([1-9]\d{0,5})$/.exec(path);
  return suffix === null ? 0 : Number(suffix[1]);
}
