/**
 * Secret values (env values, header values, URL tokens) must never reach the lockfile or a report, even when a
 * server echoes them into stderr, an error, or a description. Everything a server sent passes through here.
 */
export const REDACTED = '<redacted>';

/** Shorter values are not redacted inside text: one or two characters would blank out ordinary words. */
const MIN_SECRET_LENGTH = 3;

function base64(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const standard = btoa(binary);
  return [
    standard,
    standard.replace(/=+$/, ''),
    standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
}

/**
 * Every form in which a value a config handed a server could come back: as given, URL-encoded, in base64 (standard
 * and URL-safe), and its parts — the token of a `Bearer …` header value, the password of a `user:pass@` URL or of a
 * `Basic` credential.
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const scheme = /^(?:Bearer|Basic|Token|Bot|ApiKey|Key)\s+(\S+)$/i.exec(value.trim());
  if (scheme) forms.add(scheme[1]!);
  if (/^Basic\s/i.test(value.trim()) && scheme) {
    try {
      const decoded = atob(scheme[1]!);
      forms.add(decoded);
      const colon = decoded.indexOf(':');
      if (colon !== -1) forms.add(decoded.slice(colon + 1));
    } catch {
      // Not base64: the value itself is redacted.
    }
  }
  const userinfo = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#@]*)@/.exec(value);
  if (userinfo) {
    forms.add(userinfo[1]!);
    const colon = userinfo[1]!.indexOf(':');
    if (colon !== -1) {
      const password = userinfo[1]!.slice(colon + 1);
      forms.add(password);
      try {
        forms.add(decodeURIComponent(password));
      } catch {
        // Not percent-encoded.
      }
    }
  }
  for (const form of [...forms]) {
    forms.add(encodeURIComponent(form));
    for (const encoded of base64(form)) forms.add(encoded);
  }
  return [...forms];
}

/**
 * The secrets of a launch, by provenance: every value the config supplied (env, env files, headers, inputs, URL
 * credentials, proxy URLs passed on), whatever it looks like, in each of its forms, longest first — so a secret that
 * contains another is replaced whole.
 */
export function configSecrets(values: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    for (const form of secretForms(value)) if (form.length >= MIN_SECRET_LENGTH) out.add(form);
  }
  return [...out].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
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
