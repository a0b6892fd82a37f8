import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest global setup: every temporary folder a test makes (`mkdtemp(tmpdir())`) goes under one folder of this run,
 * removed when the run ends, so the suite leaves nothing behind in /tmp. Test workers inherit TMPDIR.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'mcp-lock-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
