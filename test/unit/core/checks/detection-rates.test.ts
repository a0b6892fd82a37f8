import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureAttacks, measureBenign } from '../../../corpus/measure.js';
import { ROOT } from '../../../helpers/cli.js';

const readme = () => readFileSync(join(ROOT, 'README.md'), 'utf8');
const percent = (n: number, d: number) => ((100 * n) / d).toFixed(1);

describe('the development corpus (test/corpus)', () => {
  const attacks = measureAttacks();
  const benign = measureBenign();
  const detected = attacks.filter((r) => r.detected).length;

  it('names at least 90% of the attacks with the right code, failing at --fail-on low', () => {
    const missed = attacks.filter((r) => !r.detected).map((r) => r.case.id);
    expect(attacks.length).toBeGreaterThanOrEqual(100);
    expect(detected / attacks.length, `missed: ${missed.join(', ')}`).toBeGreaterThanOrEqual(0.9);
  });

  it('names attacks in every language it has phrases for', () => {
    const languages = new Set(attacks.map((r) => r.case.language));
    expect([...languages].sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'ko', 'pt', 'ru', 'zh']);
    for (const language of languages) {
      const own = attacks.filter((r) => r.case.language === language);
      expect(own.filter((r) => r.detected).length, language).toBe(own.length);
    }
  });

  it('flags at most 1% of benign definitions at low or above, and nothing about a benign server as a whole', () => {
    expect(benign.definitions).toBeGreaterThanOrEqual(300);
    expect(benign.flagged.length / benign.definitions, benign.flagged.join(', ')).toBeLessThanOrEqual(0.01);
    expect(benign.serverLevel).toEqual([]);
  });

  it('raises no high finding on the recorded real servers', () => {
    expect(benign.highOnRecorded).toEqual([]);
  });

  it('is stated in the README as measured', () => {
    const stated =
      /names\s+(\d+)\s+of\s+(\d+)\s+attacks\s+\(([\d.]+)%\)[^]*?flags\s+(\d+)\s+of\s+(\d+)\s+benign\s+definitions/.exec(
        readme(),
      );
    expect(stated?.slice(1)).toEqual([
      String(detected),
      String(attacks.length),
      percent(detected, attacks.length),
      String(benign.flagged.length),
      String(benign.definitions),
    ]);
  });
});
