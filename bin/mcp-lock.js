#!/usr/bin/env node
import module from 'node:module';
import v8 from 'node:v8';

// Node 22 and later keep compiled code between runs (start-up is mostly module loading); Node 20 has no such cache.
module.enableCompileCache?.();
// The phrase patterns are large alternations run over every text: compiled once straight to native code they cost
// ~15 ms, where V8's default (bytecode first, native code on second use) spends ~60 ms on every run.
v8.setFlagsFromString('--no-regexp-tier-up');
const { runCli } = await import('../dist/cli/main.js');
await runCli(process.argv);
