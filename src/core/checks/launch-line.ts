import { finding, type Finding } from '../findings.js';
import { REDACTED } from '../redact.js';
import type { ServerView } from './types.js';

/** server-secret-in-arguments: a credential passed on the command line, which the lockfile stores redacted. */
export function secretInArguments(servers: readonly ServerView[]): Finding[] {
  return servers.flatMap(({ name, entry }) => {
    const flags = (entry.source.args ?? [])
      .map((arg, i, args) =>
        arg.endsWith(`=${REDACTED}`)
          ? arg.slice(0, -REDACTED.length - 1)
          : arg === REDACTED
            ? args[i - 1]
            : undefined,
      )
      .filter((flag): flag is string => flag !== undefined);
    if (flags.length === 0) return [];
    return [
      finding('server-secret-in-arguments', {
        server: name,
        field: 'source.args',
        message: `${flags.join(', ')} ${flags.length === 1 ? 'carries' : 'carry'} a secret on the command line: stored redacted; pass it through an env variable instead`,
      }),
    ];
  });
}
