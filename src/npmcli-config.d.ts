// @npmcli/config ships no types; these are the parts mcp-lock calls (see registry/npm-config.ts).
declare module '@npmcli/config' {
  const Config: new (options: Record<string, unknown>) => unknown;
  export default Config;
}
declare module '@npmcli/config/lib/definitions/index.js' {
  const definitions: {
    definitions: Record<string, unknown>;
    shorthands: Record<string, unknown>;
    flatten: (...args: unknown[]) => unknown;
  };
  export default definitions;
}
// npm-pick-manifest ships no types: npm's own choice of a version for a spec (dist-tags, ranges, engines).
declare module 'npm-pick-manifest' {
  function pickManifest(
    packument: unknown,
    wanted: string,
    options?: { defaultTag?: string; nodeVersion?: string; before?: string | Date | null },
  ): { version: string };
  export default pickManifest;
}
