// The CLI as shipped: dist/cli/main.js (tsc's output) and the packages it imports, bundled into dist/bundle/ (run by
// `npm run build` after tsc). Node 20 has no compile cache and its ESM loader pays per file: loading a few hundred
// small modules was most of a command's start-up (bench/RESULTS.md). The library (dist/index.js) stays tsc's output.
// What is loaded on first use stays so: a dynamic import() becomes its own chunk, and lazy() requires at run time.
// CommonJS, not ESM: Node 20 can keep V8's compiled code between runs only for code it compiles as a script
// (src/cli/code-cache.ts), and its CommonJS loader costs less per file than its ESM loader.
import { build } from 'rolldown';

await build({
  input: { cli: 'dist/cli/main.js' },
  platform: 'node',
  // jsonc-parser's `main` is a UMD build that requires its parts by computed name; its `module` build is plain ESM.
  resolve: { mainFields: ['module', 'main'] },
  output: {
    dir: 'dist/bundle',
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
  },
  // A warning here (an import that did not resolve, say) would be a CLI that fails at run time: stop the build.
  onLog(level, log, handler) {
    handler(level === 'warn' ? 'error' : level, log);
  },
});
