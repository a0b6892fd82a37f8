import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotServer, type SnapshotOptions } from '../../../src/connect/snapshot-server.js';
import { DEFAULT_LIMITS } from '../../../src/core/server-snapshot.js';
import type { ServerSpec } from '../../../src/core/server-spec.js';
import { DEFAULT_CLIENT } from '../../../src/observe/client-identity.js';
import { FAULT_SERVER, leftovers, STATE_SERVER } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-snapshot-'));
const options = (over: Partial<SnapshotOptions> = {}): SnapshotOptions => ({
  timeoutMs: 10_000,
  limits: DEFAULT_LIMITS,
  identity: { ...DEFAULT_CLIENT, era: 'legacy' },
  era: 'probe',
  parentEnv: process.env,
  variables: { env: {}, userHome: dir, workspaceFolder: dir, pathSeparator: '/' },
  ...over,
});
const stdio = (args: string[]): ServerSpec => ({
  name: 's',
  origin: { file: '.mcp.json', key: 'mcpServers.s', client: 'claude-code' },
  transport: 'stdio',
  command: process.execPath,
  args,
});
function stateFile(state: unknown): string {
  const file = join(dir, `${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(state));
  return file;
}

describe('snapshotServer over stdio', () => {
  it('keeps what the server sent on the wire: unknown fields and schemas the SDK would reject', async () => {
    const file = stateFile({
      serverInfo: { name: 'odd', version: '1', vendorField: 'kept' },
      tools: [
        {
          name: 'no-type',
          description: 'schema without type: object',
          inputSchema: { properties: { a: {} } },
          extraField: 'x',
        },
        {
          name: 'hinted',
          inputSchema: { type: 'object' },
          annotations: { readOnlyHint: true, customHint: 'y' },
        },
      ],
    });
    const result = await snapshotServer(stdio([STATE_SERVER, '--state', file]), options());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.snapshot.serverInfo).toEqual({ name: 'odd', version: '1', vendorField: 'kept' });
    expect(result.snapshot.tools).toEqual([
      {
        name: 'no-type',
        description: 'schema without type: object',
        inputSchema: { properties: { a: {} } },
        extraField: 'x',
      },
      {
        name: 'hinted',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true, customHint: 'y' },
      },
    ]);
  });

  it('works for a client that declares no capabilities (a lockfile may record fewer)', async () => {
    const file = stateFile({ tools: [{ name: 't', inputSchema: { type: 'object' } }] });
    const result = await snapshotServer(
      stdio([STATE_SERVER, '--state', file]),
      options({ identity: { name: 'mcp-lock', version: '1', capabilities: {}, era: 'legacy' } }),
    );
    expect(result).toMatchObject({ ok: true, snapshot: { tools: [{ name: 't' }] } });
  });

  it('caps items and pages with limit-exceeded', async () => {
    const tools = Array.from({ length: 30 }, (_, i) => ({ name: `t${i}`, inputSchema: { type: 'object' } }));
    const file = stateFile({ tools, pageSize: 5 });
    const items = await snapshotServer(
      stdio([STATE_SERVER, '--state', file]),
      options({ limits: { ...DEFAULT_LIMITS, maxItems: 10 } }),
    );
    expect(items).toMatchObject({
      ok: false,
      kind: 'limit-exceeded',
      reason: expect.stringMatching(/more than 10 items/),
    });
    const pages = await snapshotServer(
      stdio([STATE_SERVER, '--state', file]),
      options({ limits: { ...DEFAULT_LIMITS, maxPages: 3 } }),
    );
    expect(pages).toMatchObject({
      ok: false,
      kind: 'limit-exceeded',
      reason: expect.stringMatching(/more than 3 pages/),
    });
  });

  it('keeps only a bounded tail of a flooding stderr, and stops the server', async () => {
    const marker = `mcp-lock-unit-${randomUUID()}`;
    const result = await snapshotServer(
      stdio([FAULT_SERVER, '--fault', 'flood-stderr', '--marker', marker]),
      options({ limits: { ...DEFAULT_LIMITS, maxStderrBytes: 2048 } }),
    );
    expect(result.ok).toBe(true);
    expect(result.stderr.length).toBeGreaterThan(0);
    expect(result.stderr.length).toBeLessThanOrEqual(2048);
    expect(await leftovers(marker)).toEqual([]);
  });

  it('reports the reason a server failed, with its stderr', async () => {
    const result = await snapshotServer(stdio([FAULT_SERVER, '--fault', 'exit']), options());
    expect(result).toMatchObject({
      ok: false,
      kind: 'unreachable',
      stderr: expect.stringContaining('cannot open database'),
    });
  });

  it('a relative command is resolved against the project, as the clients do', async () => {
    const result = await snapshotServer({ ...stdio([]), command: './missing-server.sh' }, options());
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringContaining(join(dir, 'missing-server.sh')),
    });
  });
});
