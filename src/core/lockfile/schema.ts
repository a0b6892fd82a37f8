import * as z from '../zod.js';

/** A copy of a schema with a description (in the JSON Schema), as the full build's `.describe()` makes one. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, { description });
  return copy;
}

/**
 * The lockfile, declared once: the TypeScript types come from here and `schemas/mcp-lock.schema.json` is generated
 * from here (a test keeps them in sync). Strict objects: a field this version does not know is an error, which is
 * what `lockfileVersion` is for.
 */
export const LOCKFILE_VERSION = 1;

/** Where a lockfile's `$schema` points: the schema shipped in the package, as installed in the project. */
export const LOCKFILE_SCHEMA_REF = './node_modules/mcp-lock/schemas/mcp-lock.schema.json';

export const DigestSchema = described(
  z.string().check(z.regex(/^sha256-[A-Za-z0-9+/]{43}=$/, 'expected sha256-<base64>')),
  'sha256 of the canonical JSON of what it covers, as sha256-<base64>',
);

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const ConfigRefSchema = z.strictObject({
  file: described(
    z.string(),
    'The config file, relative to the project, ~/ for the home folder, else absolute',
  ),
  key: described(z.string(), 'The key path of the entry inside the file'),
});

export const SourceSchema = described(
  z.strictObject({
    configs: z.array(ConfigRefSchema).check(z.minLength(1)),
    transport: z.enum(['stdio', 'http', 'sse']),
    sseFallback: z.optional(z.boolean()),
    command: z.optional(z.string()),
    args: z.optional(z.array(z.string())),
    cwd: z.optional(z.string()),
    env: described(
      z.optional(z.array(z.string())),
      'Names of the environment variables the config sets; never values',
    ),
    envValues: described(
      z.optional(z.record(z.string(), z.string())),
      'For each env entry, the template of its value: variable references kept (`${AWS_SECRET_ACCESS_KEY}`), literal text as <literal>',
    ),
    envFile: z.optional(z.string()),
    url: described(z.optional(z.string()), 'Without userinfo; query values redacted'),
    headers: described(
      z.optional(z.array(z.string())),
      'Names of the HTTP headers the config sets; never values',
    ),
    headerValues: described(
      z.optional(z.record(z.string(), z.string())),
      'For each header, the template of its value (`Bearer ${GITHUB_TOKEN}`), literal text as <literal>',
    ),
  }),
  'How the server is launched, as configured: variable references kept unexpanded, no secret value',
);

export const TOOL_FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
export type ToolField = (typeof TOOL_FIELDS)[number];

export const ItemSchema = z.strictObject({
  definition: described(JsonObjectSchema, 'The definition as the server sent it (volatile fields removed)'),
  digest: DigestSchema,
  body: described(
    z.optional(z.strictObject({ result: JsonObjectSchema, digest: DigestSchema })),
    'Prompts: the `prompts/get` result of a prompt that takes no required argument',
  ),
});

export const ToolEntrySchema = z.extend(ItemSchema, {
  fields: described(
    z.partialRecord(z.enum(TOOL_FIELDS), DigestSchema),
    'Per-field digests, so a finding can say which field changed',
  ),
});

export const PackageSchema = described(
  z.strictObject({
    type: z.enum(['npm', 'pypi', 'oci', 'remote', 'local', 'binary']),
    name: z.string(),
    spec: described(z.string(), 'As the launch line writes it'),
    pinned: described(z.boolean(), 'Whether the launch line names an exact version or digest'),
    version: described(z.optional(z.string()), 'The exact version it resolved to'),
    integrity: described(
      z.optional(z.string()),
      'npm: the registry integrity (sha512-<base64>); binary and local script: sha256-<base64> of the file; local package folder and PyPI: the digest of `files`',
    ),
    tarball: described(
      z.optional(z.enum(['verified', 'mismatch'])),
      'Whether the downloaded artifact matched its integrity',
    ),
    signature: described(
      z.optional(z.enum(['verified', 'unsigned', 'no-metadata', 'invalid'])),
      'Registry signature: verified; unsigned; no-metadata (the registry serves no keys: a mirror); invalid',
    ),
    provenance: described(
      z.optional(
        z.strictObject({
          status: z.enum(['verified', 'missing', 'invalid', 'no-metadata']),
          repository: z.optional(z.string()),
          workflow: z.optional(z.string()),
          ref: z.optional(z.string()),
          builder: z.optional(z.string()),
          reason: z.optional(z.string()),
          publish: described(
            z.optional(z.enum(['verified'])),
            "npm: the registry's publish attestation, verified with the registry's published key",
          ),
        }),
      ),
      'Build provenance verified with Sigstore (npm SLSA, PyPI PEP 740, cosign for images), and who it names',
    ),
    files: described(
      z.optional(z.record(z.string(), z.string())),
      'PyPI: every file of the release and its sha256; local: every file of the package folder',
    ),
    dependencies: described(
      z.optional(
        z.strictObject({
          digest: DigestSchema,
          count: z.int(),
          packages: described(z.record(z.string(), z.string()), 'Install path → version'),
        }),
      ),
      'The whole dependency tree npm resolves for the pinned version (npm packages)',
    ),
  }),
  'The package the server runs, pinned; no registry URL is stored',
);

export const ObservedIdentitySchema = described(
  z.strictObject({
    name: z.string(),
    version: z.string(),
    title: z.optional(z.string()),
    capabilities: JsonObjectSchema,
    era: described(z.enum(['legacy', 'modern']), 'The era this client asks for first'),
  }),
  'A client identity the server was observed as: what that client sends',
);

export const ObservationSchema = described(
  z.strictObject({
    as: described(
      z.array(ObservedIdentitySchema).check(z.minLength(1)),
      'The identities of the clients that load the server; the first one is pinned, the others compared',
    ),
    eras: described(
      z.array(z.enum(['legacy', 'modern'])).check(z.minLength(1)),
      'The protocol eras the server speaks: the first is the one pinned, the others compared',
    ),
  }),
  'How the server was observed; verify observes it the same way',
);

export const PermissionsSchema = described(
  z.strictObject({
    network: described(
      z.optional(z.boolean()),
      'The server may reach the network from its sandbox (off unless granted)',
    ),
    read: described(
      z.optional(z.array(z.string())),
      'Paths it may read although mcp-lock hides them (credentials, .git), as given',
    ),
    write: described(z.optional(z.array(z.string())), 'Paths it may write, as given; all else is read-only'),
  }),
  'What the server may do in its sandbox, as reviewed: scans and `run --sandbox` grant exactly this',
);

export const LockServerSchema = z.strictObject({
  source: SourceSchema,
  permissions: z.optional(PermissionsSchema),
  package: z.optional(PackageSchema),
  observed: z.optional(ObservationSchema),
  protocolVersion: z.string(),
  serverInfo: JsonObjectSchema,
  capabilities: JsonObjectSchema,
  instructions: z.optional(z.string()),
  tools: z.record(z.string(), ToolEntrySchema),
  prompts: z.record(z.string(), ItemSchema),
  resources: z.record(z.string(), ItemSchema),
  resourceTemplates: z.record(z.string(), ItemSchema),
  digest: described(
    DigestSchema,
    'Digest of everything the server offers (not of its source or how it was observed)',
  ),
});

export const ClientIdentitySchema = described(
  z.strictObject({
    name: z.string(),
    version: z.string(),
    capabilities: JsonObjectSchema,
  }),
  'What mcp-lock declared when it connected: servers may list different tools to different clients',
);

export const SamplingPolicySchema = described(
  z.strictObject({
    models: described(
      z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
      'Models the client may answer with (`*` matches any run of characters); any when left out',
    ),
    maxTokens: described(z.int().check(z.positive()), 'Largest maxTokens one request may ask for'),
    requestsPerMinute: z.int().check(z.positive()),
    timeoutSeconds: described(
      z.optional(z.int().check(z.positive())),
      'How long the client gets to answer (default 60)',
    ),
    sessionTokens: described(
      z.optional(z.int().check(z.positive())),
      'Total maxTokens of all requests in one session',
    ),
  }),
  "What `mcp-lock run` forwards of a server's sampling requests; with no policy, none",
);

export const DecisionSchema = described(
  z.strictObject({
    code: described(z.string(), 'The finding code this decision covers'),
    server: described(z.string(), 'The server, or * for every server'),
    tool: described(z.optional(z.string()), 'The tool (or prompt or resource); every one when left out'),
    reason: z.string().check(z.minLength(1)),
    expires: described(
      z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'))),
      'Last day the decision applies',
    ),
    sampling: described(
      z.optional(SamplingPolicySchema),
      'With code "sampling": the sampling this server may ask of the client under `mcp-lock run`',
    ),
  }),
  'A reviewed decision: findings it covers are reported as accepted and do not fail the run',
);

export const LockfileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  lockfileVersion: z.literal(LOCKFILE_VERSION),
  generator: z.string(),
  client: ClientIdentitySchema,
  servers: z.record(z.string(), LockServerSchema),
  decisions: z.optional(z.array(DecisionSchema)),
});

export type Lockfile = z.infer<typeof LockfileSchema>;
export type LockServer = z.infer<typeof LockServerSchema>;
export type Permissions = z.infer<typeof PermissionsSchema>;
export type LockSource = z.infer<typeof SourceSchema>;
export type LockItem = z.infer<typeof ItemSchema>;
export type ToolEntry = z.infer<typeof ToolEntrySchema>;
export type LockPackage = z.infer<typeof PackageSchema>;
export type ClientIdentity = z.infer<typeof ClientIdentitySchema>;
export type Decision = z.infer<typeof DecisionSchema>;
export type SamplingPolicy = z.infer<typeof SamplingPolicySchema>;
export type Observation = z.infer<typeof ObservationSchema>;
