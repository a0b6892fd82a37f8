import { describe, expect, it } from 'vitest';
import { serverJsonFindings } from '../../../../src/core/package/server-json.js';
import type { LockPackage } from '../../../../src/core/lockfile/schema.js';

const npm: LockPackage = {
  type: 'npm',
  name: '@acme/weather-mcp',
  spec: '@acme/weather-mcp@1.2.0',
  pinned: true,
  version: '1.2.0',
  integrity: 'sha512-x',
};
const pypi: LockPackage = {
  type: 'pypi',
  name: 'Weather_MCP',
  spec: 'weather-mcp==2.0.0',
  pinned: true,
  version: '2.0.0',
  integrity: 'sha256-y',
  files: { 'weather_mcp-2.0.0-py3-none-any.whl': `sha256:${'ab'.repeat(32)}` },
};
const describe_ = (packages: object[]) => [{ file: 'server.json', packages: packages as never }];

describe("a project's server.json against the lock", () => {
  it('agrees: same identifier and version, a fileSha256 the lock pinned (PyPI names normalised)', () => {
    expect(
      serverJsonFindings(
        [
          { name: 'weather', pkg: npm },
          { name: 'py', pkg: pypi },
        ],
        describe_([
          { registryType: 'npm', identifier: '@acme/weather-mcp', version: '1.2.0' },
          { registryType: 'pypi', identifier: 'weather-mcp', version: '2.0.0', fileSha256: 'AB'.repeat(32) },
        ]),
      ),
    ).toEqual([]);
  });

  it('another version, or a file the lock did not pin, is package-registry-mismatch', () => {
    const found = serverJsonFindings(
      [
        { name: 'weather', pkg: npm },
        { name: 'py', pkg: pypi },
      ],
      describe_([
        { registryType: 'npm', identifier: '@acme/weather-mcp', version: '1.3.0' },
        { registryType: 'pypi', identifier: 'weather_mcp', version: '2.0.0', fileSha256: 'cd'.repeat(32) },
      ]),
    );
    expect(found).toEqual([
      expect.objectContaining({
        code: 'package-registry-mismatch',
        server: 'weather',
        before: '1.3.0',
        after: '1.2.0',
      }),
      expect.objectContaining({ code: 'package-registry-mismatch', server: 'py', before: 'cd'.repeat(32) }),
    ]);
    expect(found[0]!.severity).toBe('high');
  });

  it('packages it does not describe, and servers without a version, are not compared', () => {
    expect(
      serverJsonFindings(
        [
          { name: 'weather', pkg: npm },
          { name: 'none', pkg: undefined },
        ],
        describe_([
          { registryType: 'npm', identifier: 'other-mcp', version: '9.0.0' },
          { registryType: 'oci', identifier: '@acme/weather-mcp', version: '0.0.1' },
        ]),
      ),
    ).toEqual([]);
  });
});
