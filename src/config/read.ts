import { readFile } from 'node:fs/promises';
import { McpLockError } from '../errors.js';
import type { ServerSpec } from '../core/server-spec.js';
import type { ConfigLocation } from './discover.js';
import { parseConfig } from './parse.js';

export interface ConfigRead {
  location: ConfigLocation;
  specs: ServerSpec[];
}

/**
 * Reads and parses config files. A discovered file that does not exist is skipped; one named with `--config`
 * must exist. Any problem in any file ends the run (exit 2) with the file and the key named.
 */
export async function readConfigs(locations: readonly ConfigLocation[]): Promise<ConfigRead[]> {
  const reads: ConfigRead[] = [];
  for (const location of locations) {
    let text: string;
    try {
      text = await readFile(location.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && location.scope !== 'explicit') continue;
      if (code === 'ENOENT') {
        throw new McpLockError('config-not-found', `${location.display}: no such file`, {
          hint: 'check the path given to --config',
        });
      }
      throw new McpLockError(
        'config-unreadable',
        `${location.display}: cannot be read (${code ?? 'error'})`,
        {
          hint: 'check the file permissions',
          cause: error,
        },
      );
    }
    const parsed = parseConfig(text, {
      file: location.display,
      client: location.client,
      jsonc: location.jsonc,
      ...(location.projectDir === undefined ? {} : { projectDir: location.projectDir }),
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
