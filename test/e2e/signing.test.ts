import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, readText, ROOT, runCli, stateServer } from '../helpers/cli.js';

const WEATHER = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/weather-state.json'), 'utf8'));
type Json = { findings: { code: string }[]; signature?: { status: string; signer?: string } };

/** A locked project and two key pairs made by `mcp-lock keygen`, in a home folder of the test's own. */
async function signedProject() {
  const dir = makeProject({ 'state.json': WEATHER });
  writeFileSync(
    join(dir, '.mcp.json'),
    JSON.stringify({ mcpServers: { weather: stateServer(join(dir, 'state.json')) } }),
  );
  expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
  const keygen = await runCli(['keygen'], { cwd: dir });
  expect(keygen.code).toBe(0);
  const other = await runCli(['keygen', '--private-key', '.home/other.key', '--public-key', 'other.pub'], {
    cwd: dir,
  });
  expect(other.code).toBe(0);
  const privateKey = join(dir, '.home', '.config', 'mcp-lock', 'mcp-lock.key');
  return { dir, privateKey, fingerprint: /key (SHA256:\S+)/.exec(keygen.stdout)![1]! };
}

describe('keygen', () => {
  it('writes the private key outside the project with 0600 permissions, the public key beside the lockfile', async () => {
    const { dir, privateKey } = await signedProject();
    expect(statSync(privateKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(privateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readText(dir, 'mcp-lock.pub')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await runCli(['keygen'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });
});

describe('a lockfile signed with a key, verified offline', () => {
  let dir: string;
  let privateKey: string;
  let fingerprint: string;
  let lock: string;
  beforeAll(async () => {
    ({ dir, privateKey, fingerprint } = await signedProject());
    expect((await runCli(['sign', '--key', privateKey], { cwd: dir })).code).toBe(0);
    lock = readText(dir, 'mcp-lock.json');
  });
  const verify = async (...args: string[]) => {
    const result = await runCli(['verify', '--signature-only', '--format', 'json', ...args], { cwd: dir });
    return { code: result.code, report: JSON.parse(result.stdout) as Json, stderr: result.stderr };
  };

  it('verifies clean with the right key, and says who signed', async () => {
    const { code, report, stderr } = await verify('--key', 'mcp-lock.pub');
    expect(code).toBe(0);
    expect(report.signature).toEqual(expect.objectContaining({ status: 'valid', signer: fingerprint }));
    expect(stderr).toContain(`signed with key ${fingerprint}`);
  });

  it('a full verify checks the signature too', async () => {
    expect(
      (await runCli(['verify', '--key', 'mcp-lock.pub', '--require-signature'], { cwd: dir })).code,
    ).toBe(0);
  });

  it('one byte changed in the lockfile: lockfile-signature-invalid', async () => {
    writeFileSync(
      join(dir, 'mcp-lock.json'),
      lock.replace('"generator": "mcp-lock@', '"generator": "mcp-lock@ '),
    );
    const { code, report } = await verify('--key', 'mcp-lock.pub');
    writeFileSync(join(dir, 'mcp-lock.json'), lock);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.code)).toEqual(['lockfile-signature-invalid']);
  });

  it('a different trusted key: lockfile-signer-untrusted', async () => {
    const { code, report } = await verify('--key', 'other.pub');
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.code)).toEqual(['lockfile-signer-untrusted']);
  });

  it('a CRLF checkout of the unchanged lockfile: clean', async () => {
    writeFileSync(join(dir, 'mcp-lock.json'), lock.replace(/\n/g, '\r\n'));
    const { code } = await verify('--key', 'mcp-lock.pub');
    writeFileSync(join(dir, 'mcp-lock.json'), lock);
    expect(code).toBe(0);
  });

  it('trust anchors can come from the environment', async () => {
    const result = await runCli(['verify', '--signature-only'], {
      cwd: dir,
      env: { MCP_LOCK_TRUSTED_KEYS: join(dir, 'other.pub') },
    });
    expect(result.code).toBe(1);
  });

  it('--signature-only launches nothing', async () => {
    writeFileSync(
      join(dir, '.mcp.json'),
      JSON.stringify({ mcpServers: { weather: { command: 'no-such-server-xyz' } } }),
    );
    const { code } = await verify('--key', 'mcp-lock.pub');
    writeFileSync(
      join(dir, '.mcp.json'),
      JSON.stringify({ mcpServers: { weather: stateServer(join(dir, 'state.json')) } }),
    );
    expect(code).toBe(0);
  });
});

describe('signatures and lockfile changes', () => {
  it('--require-signature fails an unsigned lockfile; without anchors a signature is reported unchecked', async () => {
    const { dir, privateKey } = await signedProject();
    const missing = await runCli(['verify', '--signature-only', '--require-signature', '--format', 'json'], {
      cwd: dir,
    });
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout) as Json).findings.map((f) => f.code)).toEqual([
      'lockfile-signature-missing',
    ]);
    await runCli(['sign', '--key', privateKey], { cwd: dir });
    const unchecked = await runCli(['verify', '--signature-only', '--format', 'json'], { cwd: dir });
    expect(unchecked.code).toBe(0);
    expect((JSON.parse(unchecked.stdout) as Json).signature?.status).toBe('unchecked');
  });

  it('a change without a signing key removes the stale signature and says so; with one, re-signs', async () => {
    const { dir, privateKey } = await signedProject();
    await runCli(['sign', '--key', privateKey], { cwd: dir });
    const accepted = await runCli(
      ['accept', '*', '--code', 'tool-suspicious-instructions', '--reason', 'reviewed'],
      { cwd: dir },
    );
    expect(accepted.stdout).toMatch(
      /removed mcp-lock\.json\.sigstore\.json: it signed the previous lockfile/,
    );
    expect(existsSync(join(dir, 'mcp-lock.json.sigstore.json'))).toBe(false);
    const resigned = await runCli(
      ['accept', '*', '--code', 'tool-sensitive-reference', '--reason', 'reviewed', '--sign-key', privateKey],
      { cwd: dir },
    );
    expect(resigned.stdout).toMatch(/re-signed/);
    expect((await runCli(['verify', '--signature-only', '--key', 'mcp-lock.pub'], { cwd: dir })).code).toBe(
      0,
    );
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...WEATHER, instructions: 'changed' }));
    const update = await runCli(['update'], { cwd: dir, env: { MCP_LOCK_SIGNING_KEY: privateKey } });
    expect(update.code).toBe(0);
    expect(
      (await runCli(['verify', '--key', 'mcp-lock.pub', '--require-signature'], { cwd: dir })).code,
    ).toBe(0);
  });
});
