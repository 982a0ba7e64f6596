// Bundled into dist/cli.js by tsup, so the version always matches the published package.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
