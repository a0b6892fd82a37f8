import { describe, expect, it } from 'vitest';
import { reportedVersion } from '../../../../src/core/package/compare.js';
import type { LockPackage } from '../../../../src/core/lockfile/schema.js';

const pkg = (version: string): LockPackage => ({
  type: 'npm',
  name: 'firecrawl-mcp',
  spec: 'firecrawl-mcp',
  pinned: false,
  version,
  integrity: 'sha512-x',
});
const PUBLISHED = ['3.20.0', '3.22.2', '3.26.0'];
const server = (version: string, reported: string) => ({
  package: pkg(version),
  serverInfo: { name: 'firecrawl', version: reported },
});

describe("a server's reported version against its pinned package", () => {
  it('agrees, or reports a version of its own that was never published: nothing', () => {
    expect(reportedVersion('f', server('3.26.0', '3.26.0'), PUBLISHED, undefined)).toEqual([]);
    expect(reportedVersion('f', server('3.26.0', '0.1.0'), PUBLISHED, undefined)).toEqual([]);
    expect(reportedVersion('f', { package: pkg('3.26.0'), serverInfo: {} }, PUBLISHED, undefined)).toEqual(
      [],
    );
  });

  it('reports another published version: lint when first seen (servers hard-code old versions)', () => {
    const [found] = reportedVersion('f', server('3.26.0', '3.22.2'), PUBLISHED, undefined);
    expect(found).toMatchObject({
      code: 'package-version-mismatch',
      severity: 'info',
      before: '3.26.0',
      after: '3.22.2',
    });
    expect(
      reportedVersion('f', server('3.26.0', '3.22.2'), PUBLISHED, server('3.20.0', '0.1.0'))[0],
    ).toMatchObject({ severity: 'info' });
  });

  it('is medium when the locked server reported its pinned version and the live one no longer does', () => {
    const [found] = reportedVersion('f', server('3.26.0', '3.22.2'), PUBLISHED, server('3.26.0', '3.26.0'));
    expect(found).toMatchObject({ code: 'package-version-mismatch', severity: 'medium' });
    expect(found!.message).toContain('when it was locked');
  });
});
