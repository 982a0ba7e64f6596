import { library } from '../../tsup.library.js';

// import.meta.url in the CommonJS build too: the optional logs API is required from it.
export default library(['src/index.ts'], { shims: true });
