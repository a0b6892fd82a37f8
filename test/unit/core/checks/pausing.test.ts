import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, runChecks, runChecksPausing } from '../../../../src/core/checks/index.js';
import { ROOT } from '../../../helpers/cli.js';
import { view } from '../../../helpers/views.js';

const pocs = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'corpus', 'invariant-pocs.json'), 'utf8'),
);

describe('the checks, run with pauses', () => {
  it('find exactly what one pass finds, pausing between servers for the checks that judge one at a time', async () => {
    const servers = [
      view('poison', pocs.direct_poisoning.tools),
      view('shadow', pocs.shadowing.tools),
      view('whatsapp', pocs.sleeper_rug_pull.victim.tools),
    ];
    let pauses = 0;
    const paused = await runChecksPausing(servers, () => Promise.resolve(void pauses++));
    const once = runChecks(servers);
    expect(once.length).toBeGreaterThan(3);
    expect(paused).toEqual(once);
    const whole = CHECKS.filter((c) => typeof c === 'function').length;
    const each = CHECKS.length - whole;
    expect(each).toBeGreaterThan(0);
    expect(pauses).toBe(whole + each * servers.length);
  });
});
