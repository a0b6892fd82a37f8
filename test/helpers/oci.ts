import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureOci {
  /** `127.0.0.1:<port>`, as an image reference names a registry. */
  host: string;
  /** Stores a blob; returns its digest. */
  blob(bytes: Buffer): string;
  /** Stores a manifest under its digest (and a tag, when given); returns the digest. */
  manifest(repository: string, body: unknown, tag?: string): string;
  close(): Promise<void>;
}

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * An OCI distribution API on 127.0.0.1 with blobs, manifests by tag and digest, and the referrers API computed from
 * the manifests' `subject` fields — or, with `referrers: false`, a registry without it (the tag fallback applies).
 */
export async function startOciRegistry(options: { referrers?: boolean } = {}): Promise<FixtureOci> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Map<string, Buffer>>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(url.pathname);
    if (!match) return res.writeHead(404).end();
    const [, repository, kind, reference] = match as unknown as [string, string, string, string];
    if (kind === 'blobs') {
      const bytes = blobs.get(reference);
      return bytes ? res.writeHead(200).end(bytes) : res.writeHead(404).end();
    }
    const repo = manifests.get(repository) ?? new Map<string, Buffer>();
    if (kind === 'referrers') {
      if (options.referrers === false) return res.writeHead(404).end();
      const referring = [...new Set(repo.values())].filter(
        (m) => (JSON.parse(m.toString()) as { subject?: { digest?: string } }).subject?.digest === reference,
      );
      const index = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: referring.map((m) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha(m),
          size: m.length,
          artifactType: (JSON.parse(m.toString()) as { artifactType?: string }).artifactType,
        })),
      };
      return res.writeHead(200, { 'content-type': index.mediaType }).end(JSON.stringify(index));
    }
    const body = repo.get(reference);
    if (!body) return res.writeHead(404).end();
    const mediaType = (JSON.parse(body.toString()) as { mediaType?: string }).mediaType;
    res
      .writeHead(200, {
        'content-type': mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': sha(body),
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    blob(bytes) {
      blobs.set(sha(bytes), bytes);
      return sha(bytes);
    },
    manifest(repository, body, tag) {
      const bytes = Buffer.from(JSON.stringify(body));
      const repo = manifests.get(repository) ?? new Map<string, Buffer>();
      repo.set(sha(bytes), bytes);
      if (tag) repo.set(tag, bytes);
      manifests.set(repository, repo);
      return sha(bytes);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
