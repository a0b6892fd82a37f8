import { describe, expect, it } from 'vitest';
import {
  advisoryFindings,
  advisoryQuery,
  fixedVersion,
  treePackages,
} from '../../../../src/core/package/advisories.js';
import type { LockPackage } from '../../../../src/core/lockfile/schema.js';

const pkg: LockPackage = {
  type: 'npm',
  name: 'weather-mcp',
  spec: 'weather-mcp@1.0.0',
  pinned: true,
  version: '1.0.0',
  integrity: 'sha512-x',
  dependencies: {
    digest: 'sha256-x',
    count: 3,
    packages: {
      'node_modules/weather-mcp': '1.0.0',
      'node_modules/left-pad': '1.1.0',
      'node_modules/weather-mcp/node_modules/left-pad': '1.3.0',
    },
  },
};

const ADVISORY = {
  id: 1001,
  title: 'Prototype pollution',
  url: 'https://example.test/advisories/1001',
  severity: 'moderate',
  vulnerable_versions: '<1.2.0',
};

describe('advisories for a locked tree', () => {
  it('reads every package of the tree, and the package alone when no tree was locked', () => {
    expect(treePackages(pkg).map((p) => `${p.name}@${p.version}`)).toEqual([
      'weather-mcp@1.0.0',
      'left-pad@1.1.0',
      'left-pad@1.3.0',
    ]);
    const { dependencies: _tree, ...alone } = pkg;
    expect(treePackages(alone)).toEqual([
      { name: 'weather-mcp', version: '1.0.0', path: 'node_modules/weather-mcp' },
    ]);
    expect(treePackages({ ...pkg, type: 'pypi' })).toEqual([]);
    expect(treePackages(undefined)).toEqual([]);
  });

  it('asks once per name for every version in any tree', () => {
    expect(advisoryQuery([treePackages(pkg), treePackages(pkg)])).toEqual({
      'weather-mcp': ['1.0.0'],
      'left-pad': ['1.1.0', '1.3.0'],
    });
  });

  it('reports only the versions in the affected range, with the severity mapped and the fixed version', () => {
    const found = advisoryFindings(
      'weather',
      treePackages(pkg),
      { 'left-pad': [ADVISORY] },
      { 'left-pad': ['1.0.0', '1.1.0', '1.2.0-beta.1', '1.2.0', '1.3.0'] },
    );
    expect(found).toEqual([
      expect.objectContaining({
        code: 'package-vulnerable',
        server: 'weather',
        severity: 'medium',
        before: '1.1.0',
        after: '1.2.0',
        message: expect.stringContaining('left-pad@1.1.0: Prototype pollution'),
      }),
    ]);
    expect(found[0]!.message).toContain('fixed in 1.2.0');
  });

  it('says when no fixed version is published, and maps an unknown severity to high', () => {
    const [found] = advisoryFindings(
      'weather',
      treePackages(pkg),
      { 'weather-mcp': [{ ...ADVISORY, severity: 'severe', vulnerable_versions: '*' }] },
      { 'weather-mcp': ['1.0.0'] },
    );
    expect(found).toMatchObject({ severity: 'high', before: '1.0.0' });
    expect(found!.after).toBeUndefined();
    expect(found!.message).toContain('no fixed version published');
  });

  it('the fixed version is the lowest release above the locked one outside the range', () => {
    expect(fixedVersion('1.0.0', '<1.2.0 || >=2.0.0 <2.0.3', ['1.2.0', '2.0.1', '2.0.3', '0.9.0'])).toBe(
      '1.2.0',
    );
    expect(fixedVersion('2.0.1', '<1.2.0 || >=2.0.0 <2.0.3', ['1.2.0', '2.0.1', '2.0.3'])).toBe('2.0.3');
    expect(fixedVersion('2.0.1', '>=2.0.0', ['2.0.2', '3.0.0-rc.1'])).toBeUndefined();
  });
});
