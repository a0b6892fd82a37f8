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
