import { FileFlagSource, type FileFlagSourceOptions } from './file-flag-source.js';

/** A JSON or YAML flag document on disk, watched for changes: `fileSink`'s counterpart. */
export function fileSource(path: string, options: FileFlagSourceOptions = {}): FileFlagSource {
  return new FileFlagSource(path, options);
}
