import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What is remembered of one registry answer: the part used, and how to ask again cheaply. */
interface Remembered<D> {
  url: string;
  etag?: string;
  lastModified?: string;
  /** Until when the registry said the answer stays fresh (Cache-Control max-age), in ms since the epoch. */
  freshUntil?: number;
  value: D;
}

/** The longest the registry's own freshness is believed, whatever it says: drift checks must see a publish soon. */
const MAX_FRESH_MS = 10 * 60_000;

function freshUntil(headers: Headers, now: number): number | undefined {
  const control = headers.get('cache-control') ?? '';
  if (/\b(no-store|no-cache)\b/i.test(control)) return undefined;
  const maxAge = /\bmax-age=(\d+)/i.exec(control);
  if (!maxAge) return undefined;
  const age = Number(headers.get('age') ?? 0) || 0;
  const ms = (Number(maxAge[1]) - age) * 1000;
  return ms > 0 ? now + Math.min(ms, MAX_FRESH_MS) : undefined;
}

/** A bounded number of requests in flight: a tree of hundreds of packages must not open hundreds of sockets. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Registry answers and results derived from them, remembered between runs under the user's cache folder so a run
 * whose inputs did not change asks the registry only "has this changed?" (ETag / Last-Modified → 304) and repeats no
 * expensive work. A registry that gives no validators is asked in full each run. Within a run each URL is asked once.
 * Entries are written whole (temporary file and rename); one that cannot be read is a miss, never an error.
 */
export class RegistryCache {
  private readonly asked = new Map<string, Promise<unknown>>();
  private readonly slot = limiter(16);

  constructor(
    /** No folder: remember within the run only. */
    private readonly root: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cache folder of a user: `$XDG_CACHE_HOME/mcp-lock/registry`, else `~/.cache/mcp-lock/registry`. */
  static folder(env: Readonly<Record<string, string | undefined>>, home: string): string {
    return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'mcp-lock', 'registry');
  }

  private file(kind: string, key: string): string | undefined {
    if (!this.root) return undefined;
    return join(this.root, kind, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  /** A value stored under a key, or undefined (never stored, unreadable, or stored for another key). */
  async get<D>(kind: string, key: string): Promise<D | undefined> {
    const file = this.file(kind, key);
    if (!file) return undefined;
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; value?: D };
      return stored.key === key ? stored.value : undefined;
    } catch {
      return undefined;
    }
  }

  async set(kind: string, key: string, value: unknown): Promise<void> {
    const file = this.file(kind, key);
    if (!file) return;
    // No fsync: a cache entry lost to a power cut is only a miss.
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(temp, JSON.stringify({ key, value }));
      await rename(temp, file);
    } catch {
      await rm(temp, { force: true });
    }
  }

  /** `work` done once per key in a run, however many servers ask for it at the same time. */
  once<T>(kind: string, key: string, work: () => Promise<T>): Promise<T> {
    const memo = `${kind} ${key}`;
    let result = this.asked.get(memo) as Promise<T> | undefined;
    if (!result) {
      result = work();
      this.asked.set(memo, result);
    }
    return result;
  }

  /**
   * A document at `url`, reduced by `derive` (from its bytes) to what is used: asked once per run; from disk while the registry's
   * Cache-Control says it is fresh; else asked again with the stored validators, and a 304 keeps the stored value.
   * `status` is the registry's answer (200 for a value from the cache); no value when it was not a success.
   */
  document<D>(
    url: string,
    fetcher: typeof fetch,
    derive: (body: Buffer) => D,
    accept = 'application/json',
  ): Promise<{ status: number; value?: D }> {
    // Each derivation of a document is remembered apart: the same URL may be read for different purposes.
    const key = `${derive.name} ${accept} ${url}`;
    let answer = this.asked.get(key) as Promise<{ status: number; value?: D }> | undefined;
    if (!answer) {
      answer = this.slot(() => this.revalidate(key, url, fetcher, derive, accept));
      this.asked.set(key, answer);
    }
    return answer;
  }

  private async revalidate<D>(
    key: string,
    url: string,
    fetcher: typeof fetch,
    derive: (body: Buffer) => D,
    accept: string,
  ): Promise<{ status: number; value?: D }> {
    const stored = await this.get<Remembered<D>>('documents', key);
    if (stored?.freshUntil && stored.freshUntil > this.now()) return { status: 200, value: stored.value };
    const headers: Record<string, string> = { accept };
    if (stored?.etag) headers['if-none-match'] = stored.etag;
    if (stored?.lastModified) headers['if-modified-since'] = stored.lastModified;
    const response = await fetcher(url, { headers, signal: AbortSignal.timeout(30_000) });
    if (response.status === 304 && stored) {
      await response.body?.cancel();
      const fresh = freshUntil(response.headers, this.now());
      if (fresh !== stored.freshUntil) await this.set('documents', key, { ...stored, freshUntil: fresh });
      return { status: 200, value: stored.value };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { status: response.status };
    }
    const value = derive(Buffer.from(await response.arrayBuffer()));
    const etag = response.headers.get('etag') ?? undefined;
    const lastModified = response.headers.get('last-modified') ?? undefined;
    const fresh = freshUntil(response.headers, this.now());
    if (etag || lastModified || fresh) {
      const remembered: Remembered<D> = {
        url,
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
        ...(fresh ? { freshUntil: fresh } : {}),
        value,
      };
      await this.set('documents', key, remembered);
    }
    return { status: response.status, value };
  }
}
