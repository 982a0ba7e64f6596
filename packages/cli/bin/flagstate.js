#!/usr/bin/env node
// The `flagstate` command. This file is committed, so that installing the workspace can link the
// bin before anything is built; the command itself is dist/cli.js, built by `pnpm build`.
import '../dist/cli.js';
