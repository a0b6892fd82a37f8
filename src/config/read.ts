import { McpLockError } from '../errors.js';
import type { ServerSpec } from '../core/server-spec.js';
import { describeProblem, readBounded } from '../store/bounded-read.js';
import type { ConfigLocation } from './discover.js';
import { parseConfig } from './parse.js';

/** Larger than this is not a client's config (the largest real ones are a few hundred KB). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export interface ConfigRead {
  location: ConfigLocation;
  specs: ServerSpec[];
}

/**
 * Reads and parses config files. A discovered file that does not exist is skipped; one named with `--config`
 * must exist. Any problem in any file ends the run (exit 2) with the file and the key named.
 */
export async function readConfigs(locations: readonly ConfigLocation[]): Promise<ConfigRead[]> {
  // Started together (most of a project's candidate files do not exist: a look-up each), judged in order, so the
  // first problem reported is the first file's whatever finished first.
  const texts = await Promise.all(locations.map((location) => readBounded(location.path, MAX_CONFIG_BYTES)));
  const reads: ConfigRead[] = [];
  for (const [i, location] of locations.entries()) {
    const read = texts[i]!;
    if (!read.ok && read.problem.kind === 'missing') {
      if (location.scope !== 'explicit') continue;
      throw new McpLockError('config-not-found', `${location.display}: no such file`, {
        hint: 'check the path given to --config',
      });
    }
    if (!read.ok) {
      throw new McpLockError(
        read.problem.kind === 'unreadable' ? 'config-unreadable' : 'config-invalid',
        `${location.display}: ${describeProblem(read.problem)}`,
        {
          hint:
            read.problem.kind === 'unreadable'
              ? 'check the file permissions'
              : 'an MCP config is a small JSON file: check the path given to --config',
        },
      );
    }
    const text = read.text;
    const parsed = parseConfig(text, {
      file: location.display,
      client: location.client,
      jsonc: location.jsonc,
      ...(location.projectDir === undefined ? {} : { projectDir: location.projectDir }),
      ...(location.pluginRoot === undefined ? {} : { pluginRoot: location.pluginRoot }),
    });
    if (!parsed.ok) {
      const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
      throw new McpLockError('config-invalid', `${location.display}: ${parsed.errors[0]}${more}`, {
        hint: `fix ${location.display}${location.jsonc ? '' : ' (plain JSON: no comments or trailing commas)'}`,
      });
    }
    for (const spec of parsed.specs) spec.origin.scope = location.scope;
    reads.push({ location, specs: parsed.specs });
  }
  return reads;
}
