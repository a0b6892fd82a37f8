import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';
import { privateTempSubfolder, writePrivateFile } from '../store/private-temp.js';

// Loads the bundled CLI (CommonJS, dist/bundle/) keeping V8's compiled code between runs. Node 20 compiles every
// module of every run anew; Node 22.1 and later have `module.enableCompileCache`, which is used there instead. This is
// not the `v8-compile-cache` package because that one writes into a shared temporary folder without asking who owns
// it: a cache is code that runs, so another user of the machine must not be able to plant one (`privateTempFolder`).

/** The CommonJS loader's per-module compile step (not in @types/node: it is what every require goes through). */
type Compile = (this: Module, content: string, filename: string) => unknown;
const loader = Module.prototype as unknown as { _compile: Compile };

/**
 * The folder for cached code (`privateTempFolder`: code that runs must be only this user's to write), per Node version.
 * `undefined` when caching is off (`NODE_DISABLE_COMPILE_CACHE`, as for Node's own cache) or there is no such folder.
 */
export function codeCacheFolder(base?: string): string | undefined {
  if (process.env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  return privateTempSubfolder(join('code-cache', `${process.version}-${process.arch}`), base);
}

/**
 * Requires `entry` (a CommonJS file) with every file of its folder compiled through V8's code cache in `folder`: a
 * cached file skips compiling what it compiled last time (V8 rejects a cache of another V8 or other flags, and the
 * file is compiled as usual). Files compiled without a usable cache get one written when the process exits, holding
 * the functions that run used. Without a folder this is a plain require.
 */
export function requireWithCodeCache(entry: string, folder: string | undefined): unknown {
  const require = createRequire(entry);
  if (folder === undefined) return require(entry);
  const scope = dirname(entry) + sep;
  const fresh: { script: Script; file: string }[] = [];
  const original = loader._compile;
  loader._compile = function (this: Module, content: string, filename: string): unknown {
    if (!filename.startsWith(scope)) return original.call(this, content, filename);
    const wrapped = Module.wrap(content);
    // Named by content: a cache is only ever offered to the exact source it was made from.
    const file = join(folder, `${hash('sha256', wrapped)}.bin`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(wrapped, {
      filename,
      ...(cachedData ? { cachedData } : {}),
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined || script.cachedDataRejected) fresh.push({ script, file });
    const run = script.runInThisContext() as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, file } of fresh) writePrivateFile(file, script.createCachedData());
  });
  return require(entry);
}
