/** A PyPI project name as indexes compare it (PEP 503): `Weather_MCP` and `weather-mcp` are one project. */
export function pypiProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The package installed at a path of an npm tree (`node_modules/a/node_modules/@s/b` → `@s/b`). */
export function packageAtPath(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}
