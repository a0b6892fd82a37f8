import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { McpLockError } from '../../../src/errors.js';
import { LockfileStore } from '../../../src/store/lockfile-store.js';
import type { Lockfile } from '../../../src/core/lockfile/schema.js';

const lock: Lockfile = {
  lockfileVersion: 1,
  generator: 'mcp-lock@test',
  client: { name: 'mcp-lock', version: 't', capabilities: {} },
  servers: {},
};

describe('lockfile files', () => {
  it('a missing lockfile reads as null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-io-'));
    expect(await new LockfileStore(join(dir, 'mcp-lock.json'), 'mcp-lock.json').read()).toBeNull();
  });

  it('writes through a temporary file and leaves none behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-io-'));
    const store = new LockfileStore(join(dir, 'mcp-lock.json'), 'mcp-lock.json');
    await store.write(lock);
    expect(readdirSync(dir)).toEqual(['mcp-lock.json']);
    expect(await store.read()).toEqual(lock);
  });

  it('a failed write leaves the old lockfile and no temporary file, and names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-io-'));
    // The target is a non-empty directory: the rename fails after the temporary file was written.
    mkdirSync(join(dir, 'mcp-lock.json'));
    writeFileSync(join(dir, 'mcp-lock.json', 'keep'), 'old');
    const error = await new LockfileStore(join(dir, 'mcp-lock.json'), 'mcp-lock.json')
      .write(lock)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpLockError);
    expect(error).toMatchObject({
      code: 'lockfile-write',
      message: expect.stringMatching(/^mcp-lock\.json: cannot be written/),
    });
    expect(readdirSync(dir)).toEqual(['mcp-lock.json']);
    expect(readFileSync(join(dir, 'mcp-lock.json', 'keep'), 'utf8')).toBe('old');
  });
});
