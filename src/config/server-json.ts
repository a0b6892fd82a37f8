import { join } from 'node:path';
import type { DescribedPackage, ServerDescription } from '../core/package/server-json.js';
import { describeProblem, readBounded } from '../store/bounded-read.js';

/** A server.json is a few kilobytes; a larger file is not one. */
const MAX_BYTES = 1024 * 1024;

function isDescribed(value: unknown): value is DescribedPackage {
  const p = value as Partial<DescribedPackage> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.registryType === 'string' &&
    typeof p.identifier === 'string' &&
    (p.version === undefined || typeof p.version === 'string') &&
    (p.fileSha256 === undefined || typeof p.fileSha256 === 'string')
  );
}

/**
 * The project's MCP Registry description (`server.json` beside the configs), when there is one. A file of that name
 * that is not an MCP Registry description (no `packages` of registry entries) is another tool's and is left alone;
 * one that cannot be read says so in a note.
 */
export async function readServerDescriptions(
  cwd: string,
): Promise<{ descriptions: ServerDescription[]; notes: string[] }> {
  const read = await readBounded(join(cwd, 'server.json'), MAX_BYTES);
  if (!read.ok) {
    return read.problem.kind === 'missing'
      ? { descriptions: [], notes: [] }
      : { descriptions: [], notes: [`server.json was not read: ${describeProblem(read.problem)}`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return { descriptions: [], notes: ['server.json is not JSON: the lock was not compared with it'] };
  }
  const packages = (parsed as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(packages) || !packages.some(isDescribed)) return { descriptions: [], notes: [] };
  return { descriptions: [{ file: 'server.json', packages: packages.filter(isDescribed) }], notes: [] };
}
