import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { main, type MainIO } from '../../../src/cli/main.js';
import { COMMANDS } from '../../../src/commands/index.js';
import { defineCommand } from '../../../src/commands/definition.js';
import { makeProject, ROOT } from '../../helpers/cli.js';

function capture(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out[key] += chunk.toString();
        done();
      },
    });
  const io: MainIO = {
    cwd,
    env: { PATH: process.env.PATH, HOME: join(cwd, '.home') },
    today: '2026-12-02',
    stdin: new PassThrough(),
    stdout: sink('stdout'),
    stderr: sink('stderr'),
    progress: false,
    colour: () => false,
  };
  return { io, out };
}

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'));
const validate = new Ajv2020({ strict: false }).compile(schema);

describe('the one exit path of the CLI', () => {
  it('prints an error with its code and hint, and the error object on stdout under --format json', async () => {
    const { io, out } = capture(makeProject());
    const code = await main(['node', 'mcp-lock', 'verify', '--format', 'json'], io);
    expect(code).toBe(2);
    expect(out.stderr).toMatch(
      /^mcp-lock: error \[lockfile-missing\]: mcp-lock\.json: no lockfile\nmcp-lock: hint: /,
    );
    const error = JSON.parse(out.stdout);
    expect(error).toMatchObject({ ok: false, error: { code: 'lockfile-missing', hint: expect.any(String) } });
    expect(validate(error)).toBe(true);
  });

  it('answers a usage error in the format asked for', async () => {
    const { io, out } = capture(makeProject());
    expect(
      await main(['node', 'mcp-lock', 'verify', '--format', 'json', '--timeout', '99999999999'], io),
    ).toBe(2);
    expect(JSON.parse(out.stdout).error.code).toBe('usage');
    expect(out.stderr).toMatch(/^mcp-lock: error \[usage\]: .*--timeout/);
  });

  it('reports a failure it did not expect as a bug, with exit 2 and no stack trace', async () => {
    const { io, out } = capture(makeProject());
    const broken = defineCommand({
      name: 'ls',
      summary: 'throws',
      args: [],
      params: ['format'],
      run: () => Promise.reject(new TypeError('boom')),
    });
    const code = await main(['node', 'mcp-lock', 'ls', '--format', 'json'], io, {
      ...COMMANDS,
      ls: () => Promise.resolve(broken),
    });
    expect(code).toBe(2);
    expect(out.stderr).toMatch(
      /^mcp-lock: error \[internal\]: unexpected failure: boom\nmcp-lock: hint: this is a bug/,
    );
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(out.stdout).error.code).toBe('internal');
  });

  it('--version loads no command', async () => {
    const { io, out } = capture(makeProject());
    const code = await main(['node', 'mcp-lock', '--version'], io, {
      ...COMMANDS,
      ls: () => Promise.reject(new Error('loaded')),
    });
    expect(code).toBe(0);
    expect(out.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
