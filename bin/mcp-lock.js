#!/usr/bin/env node
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { codeCacheFolder, requireWithCodeCache } from '../dist/cli/code-cache.js';

// Start-up is mostly compiling code. Node 22 and later keep compiled code between runs themselves; on Node 20 the
// bundle is loaded through a code cache of mcp-lock's own.
const folder = module.enableCompileCache ? void module.enableCompileCache() : codeCacheFolder();
const { runCli } = requireWithCodeCache(
  fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url)),
  folder,
);
await runCli(process.argv);
