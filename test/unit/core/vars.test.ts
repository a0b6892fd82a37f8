import { describe, expect, it } from 'vitest';
import { expandVariables, inputVariableName, type VariableContext } from '../../../src/core/vars.js';

const ctx: VariableContext = {
  env: { TOKEN: 't0k', EMPTY: '', MCP_LOCK_INPUT_API_KEY: 'k3y' },
  userHome: '/home/u',
  workspaceFolder: '/work/proj',
  pathSeparator: '/',
};
const value = (text: string) => {
  const r = expandVariables(text, ctx);
  return r.ok ? r.value : `missing: ${r.missing.join('; ')}`;
};

describe('variable expansion', () => {
  it('expands each client syntax', () => {
    expect(value('${TOKEN}')).toBe('t0k');
    expect(value('${env:TOKEN}')).toBe('t0k');
    expect(value('Bearer ${TOKEN}!')).toBe('Bearer t0k!');
    expect(value('${userHome}/x')).toBe('/home/u/x');
    expect(value('${workspaceFolder}/a')).toBe('/work/proj/a');
    expect(value('${workspaceFolderBasename}')).toBe('proj');
    expect(value('${input:api-key}')).toBe('k3y');
    expect(value('${pathSeparator}')).toBe('/');
  });

  it('uses the default when the variable is unset or empty', () => {
    expect(value('${NOPE:-fallback}')).toBe('fallback');
    expect(value('${EMPTY:-fallback}')).toBe('fallback');
    expect(value('${TOKEN:-fallback}')).toBe('t0k');
  });

  it('lists every missing variable', () => {
    expect(value('${A} ${env:B} ${input:c}')).toBe(
      'missing: environment variable A; environment variable B; input c (set MCP_LOCK_INPUT_C)',
    );
    expect(value('${file:/etc/passwd}')).toBe('missing: unsupported variable ${file:/etc/passwd}');
  });

  it('leaves text without references alone', () => {
    expect(value('$HOME and {x}')).toBe('$HOME and {x}');
  });

  it('names input variables predictably', () => {
    expect(inputVariableName('github.token')).toBe('MCP_LOCK_INPUT_GITHUB_TOKEN');
  });
});

describe("Gemini CLI's settings", () => {
  it('also expand $VAR without braces, and only there', () => {
    const gemini = { ...ctx, dollar: true };
    expect(expandVariables('$TOKEN and ${TOKEN}', gemini)).toEqual({ ok: true, value: 't0k and t0k' });
    expect(expandVariables('$TOKEN', ctx)).toEqual({ ok: true, value: '$TOKEN' });
    expect(expandVariables('$NOPE', gemini)).toEqual({ ok: false, missing: ['environment variable NOPE'] });
  });
});

describe("OpenCode's config", () => {
  it('expands {env:VAR}, refuses {file:…} with what to do, and leaves ${VAR} alone', () => {
    const opencode = { ...ctx, bare: true };
    expect(expandVariables('Bearer {env:TOKEN}', opencode)).toEqual({ ok: true, value: 'Bearer t0k' });
    expect(expandVariables('{env:TOKEN}', ctx)).toEqual({ ok: true, value: '{env:TOKEN}' });
    expect(expandVariables('${TOKEN}', opencode)).toEqual({ ok: true, value: '${TOKEN}' });
    const file = expandVariables('{file:~/.secrets/key}', opencode);
    expect(file.ok).toBe(false);
    expect(!file.ok && file.missing[0]).toMatch(
      /\{file:~\/\.secrets\/key\} \(set the value in the environment/,
    );
  });
});

describe("Continue's config", () => {
  it('reads ${{ secrets.NAME }} and ${{ inputs.NAME }} from the environment, once', () => {
    const continueCtx = { ...ctx, mustache: true, env: { ...ctx.env, SNEAKY: '${TOKEN}' } };
    expect(expandVariables('Bearer ${{ secrets.TOKEN }} ${TOKEN}', continueCtx)).toEqual({
      ok: true,
      value: 'Bearer t0k t0k',
    });
    expect(expandVariables('${{ inputs.SNEAKY }}', continueCtx)).toEqual({ ok: true, value: '${TOKEN}' });
    expect(expandVariables('${{ secrets.NOPE }}', continueCtx)).toEqual({
      ok: false,
      missing: ['environment variable NOPE'],
    });
  });
});
