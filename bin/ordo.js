#!/usr/bin/env node
// The `ordo` CLI. TypeScript sources run through tsx's require hook (no build step needed).
require('tsx/cjs');
require('../src/client/cli.ts');
