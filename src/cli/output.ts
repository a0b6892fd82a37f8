import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Format } from '../commands/params.js';
import { escapeJsonText } from '../core/canonical.js';
import { McpLockError } from '../errors.js';
import type { ErrorReport, Report } from '../report/model.js';
import { escapeText } from '../report/escape.js';

const RENDERERS = {
  json: async () => (await import('../report/json.js')).renderJson,
  sarif: async () => (await import('../report/sarif.js')).renderSarif,
  markdown: async () => (await import('../report/markdown.js')).renderMarkdown,
} as const;

export interface Streams {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Whether ANSI colour goes to this stream (a terminal, and no NO_COLOR). */
  colour: (stream: { isTTY?: boolean }) => boolean;
}

/**
 * Human output goes to stdout, unless stdout carries a machine format: then the human summary goes to stderr.
 * With -o, the chosen format goes to the file and the human report to stdout.
 */
export async function emitReport(
  report: Report,
  options: { format: Format; output?: string | undefined; full: boolean; cwd: string },
  streams: Streams,
): Promise<void> {
  const { renderHuman } = await import('../report/human.js');
  const human = (stream: Streams['stdout']) =>
    renderHuman(report, { color: streams.colour(stream), full: options.full });
  const machine = options.format === 'human' ? undefined : (await RENDERERS[options.format]())(report);
  if (options.output) {
    try {
      await writeFile(
        resolve(options.cwd, options.output),
        machine ?? renderHuman(report, { color: false, full: options.full }),
      );
    } catch (error) {
      throw new McpLockError('output-write', `${options.output}: cannot be written`, {
        hint: 'check the path given to --output',
        cause: error,
      });
    }
    streams.stdout.write(human(streams.stdout));
  } else if (machine !== undefined) {
    streams.stdout.write(machine);
    streams.stderr.write(human(streams.stderr));
  } else {
    streams.stdout.write(human(streams.stdout));
  }
}

/**
 * A run that could not be done: `mcp-lock: error [code]: message` and the hint on stderr, every character escaped;
 * under a machine format also `{ ok: false, error }` on stdout, so a CI step reading JSON is not left with nothing.
 */
export function emitError(error: McpLockError, format: Format | undefined, streams: Streams): void {
  streams.stderr.write(`mcp-lock: error [${error.code}]: ${escapeText(error.message)}\n`);
  if (error.hint) streams.stderr.write(`mcp-lock: hint: ${escapeText(error.hint)}\n`);
  if (format === 'json' || format === 'sarif') {
    const report: ErrorReport = {
      ok: false,
      error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    };
    streams.stdout.write(escapeJsonText(JSON.stringify(report, null, 2)) + '\n');
  }
}
