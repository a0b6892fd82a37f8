/**
 * Secret values (env values, header values, URL tokens) must never reach the lockfile or a report, even when a
 * server echoes them into stderr, an error, or a description. Everything a server sent passes through here.
 */
export const REDACTED = '<redacted>';

/** Values worth hiding everywhere: long enough, and not a plain word that would blank out ordinary text. */
export function secretValues(values: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (
      value.length >= 8 &&
      (/\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)) || /[^A-Za-z0-9 ]/.test(value))
    ) {
      out.add(value);
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * Secrets for stderr, which servers print freely: the values `secretValues` keeps, and also every configured value of
 * 4 characters or more, since a server echoing its own token there is the common leak.
 */
export function stderrSecretValues(values: readonly string[]): string[] {
  return [...new Set([...secretValues(values), ...values.filter((v) => v.length >= 4)])].sort(
    (a, b) => b.length - a.length,
  );
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}

/** Redacts inside every string (and object key) of a JSON value. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactText(k, secrets), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Keys whose values are credentials whatever they look like: what `--log-bodies` never writes. */
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|api[-_]?key|auth|credential|cookie|session|private[-_]?key|signature/i;

/** A JSON body fit for a log: values under secret-looking keys and known secret values replaced. */
export function redactForLog(value: unknown, secrets: readonly string[]): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [redactText(k, secrets), SECRET_KEY.test(k) ? REDACTED : walk(x)]),
      );
    }
    return v;
  };
  return walk(value);
}
