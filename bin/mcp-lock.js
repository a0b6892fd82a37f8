#!/usr/bin/env node
import module from 'node:module';

// Node 22 and later keep compiled code between runs (start-up is mostly module loading); Node 20 has no such cache.
module.enableCompileCache?.();
const { runCli } = await import('../dist/bundle/cli.js');
await runCli(process.argv);
