import { z } from 'zod';

/**
 * The lockfile, declared once: the TypeScript types come from here and `schemas/mcp-lock.schema.json` is generated
 * from here (a test keeps them in sync). Strict objects: a field this version does not know is an error, which is
 * what `lockfileVersion` is for.
 */
export const LOCKFILE_VERSION = 1;

/** Where a lockfile's `$schema` points: the schema shipped in the package, as installed in the project. */
export const LOCKFILE_SCHEMA_REF = './node_modules/mcp-lock/schemas/mcp-lock.schema.json';

export const DigestSchema = z
  .string()
  .regex(/^sha256-[A-Za-z0-9+/]{43}=$/, 'expected sha256-<base64>')
  .describe('sha256 of the canonical JSON of what it covers, as sha256-<base64>');

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const ConfigRefSchema = z.strictObject({
  file: z
    .string()
    .describe('The config file, relative to the project, ~/ for the home folder, else absolute'),
  key: z.string().describe('The key path of the entry inside the file'),
});

export const SourceSchema = z
  .strictObject({
    configs: z.array(ConfigRefSchema).min(1),
    transport: z.enum(['stdio', 'http', 'sse']),
    sseFallback: z.boolean().optional(),
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    cwd: z.string().optional(),
    env: z
      .array(z.string())
      .optional()
      .describe('Names of the environment variables the config sets; never values'),
    envValues: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'For each env entry, the template of its value: variable references kept (`${AWS_SECRET_ACCESS_KEY}`), literal text as <literal>',
      ),
    envFile: z.string().optional(),
    url: z.string().optional().describe('Without userinfo; query values redacted'),
    headers: z
      .array(z.string())
      .optional()
      .describe('Names of the HTTP headers the config sets; never values'),
    headerValues: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'For each header, the template of its value (`Bearer ${GITHUB_TOKEN}`), literal text as <literal>',
      ),
  })
  .describe(
    'How the server is launched, as configured: variable references kept unexpanded, no secret value',
  );

export const TOOL_FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
export type ToolField = (typeof TOOL_FIELDS)[number];

export const ItemSchema = z.strictObject({
  definition: JsonObjectSchema.describe('The definition as the server sent it (volatile fields removed)'),
  digest: DigestSchema,
  body: z
    .strictObject({ result: JsonObjectSchema, digest: DigestSchema })
    .optional()
    .describe('Prompts: the `prompts/get` result of a prompt that takes no required argument'),
});

export const ToolEntrySchema = ItemSchema.extend({
  fields: z
    .partialRecord(z.enum(TOOL_FIELDS), DigestSchema)
    .describe('Per-field digests, so a finding can say which field changed'),
});

export const PackageSchema = z
  .strictObject({
    type: z.enum(['npm', 'pypi', 'oci', 'remote', 'local', 'binary']),
    name: z.string(),
    spec: z.string().describe('As the launch line writes it'),
    pinned: z.boolean().describe('Whether the launch line names an exact version or digest'),
    version: z.string().optional().describe('The exact version it resolved to'),
    integrity: z
      .string()
      .optional()
      .describe(
        'npm: the registry integrity (sha512-<base64>); binary and local script: sha256-<base64> of the file; local package folder and PyPI: the digest of `files`',
      ),
    tarball: z
      .enum(['verified', 'mismatch'])
      .optional()
      .describe('Whether the downloaded artifact matched its integrity'),
    signature: z
      .enum(['verified', 'unsigned', 'no-metadata', 'invalid'])
      .optional()
      .describe(
        'Registry signature: verified; unsigned; no-metadata (the registry serves no keys: a mirror); invalid',
      ),
    provenance: z
      .strictObject({
        status: z.enum(['verified', 'missing', 'invalid', 'no-metadata']),
        repository: z.string().optional(),
        workflow: z.string().optional(),
        ref: z.string().optional(),
        builder: z.string().optional(),
        reason: z.string().optional(),
        publish: z
          .enum(['verified'])
          .optional()
          .describe("npm: the registry's publish attestation, verified with the registry's published key"),
      })
      .optional()
      .describe(
        'Build provenance verified with Sigstore (npm SLSA, PyPI PEP 740, cosign for images), and who it names',
      ),
    files: z
      .record(z.string(), z.string())
      .optional()
      .describe('PyPI: every file of the release and its sha256; local: every file of the package folder'),
    dependencies: z
      .strictObject({
        digest: DigestSchema,
        count: z.number().int(),
        packages: z.record(z.string(), z.string()).describe('Install path → version'),
      })
      .optional()
      .describe('The whole dependency tree npm resolves for the pinned version (npm packages)'),
  })
  .describe('The package the server runs, pinned; no registry URL is stored');

export const ObservedIdentitySchema = z
  .strictObject({
    name: z.string(),
    version: z.string(),
    title: z.string().optional(),
    capabilities: JsonObjectSchema,
    era: z.enum(['legacy', 'modern']).describe('The era this client asks for first'),
  })
  .describe('A client identity the server was observed as: what that client sends');

export const ObservationSchema = z
  .strictObject({
    as: z
      .array(ObservedIdentitySchema)
      .min(1)
      .describe(
        'The identities of the clients that load the server; the first one is pinned, the others compared',
      ),
    eras: z
      .array(z.enum(['legacy', 'modern']))
      .min(1)
      .describe('The protocol eras the server speaks: the first is the one pinned, the others compared'),
  })
  .describe('How the server was observed; verify observes it the same way');

export const PermissionsSchema = z
  .strictObject({
    network: z
      .boolean()
      .optional()
      .describe('The server may reach the network from its sandbox (off unless granted)'),
    read: z
      .array(z.string())
      .optional()
      .describe('Paths it may read although mcp-lock hides them (credentials, .git), as given'),
    write: z.array(z.string()).optional().describe('Paths it may write, as given; all else is read-only'),
  })
  .describe(
    'What the server may do in its sandbox, as reviewed: scans and `run --sandbox` grant exactly this',
  );

export const LockServerSchema = z.strictObject({
  source: SourceSchema,
  permissions: PermissionsSchema.optional(),
  package: PackageSchema.optional(),
  observed: ObservationSchema.optional(),
  protocolVersion: z.string(),
  serverInfo: JsonObjectSchema,
  capabilities: JsonObjectSchema,
  instructions: z.string().optional(),
  tools: z.record(z.string(), ToolEntrySchema),
  prompts: z.record(z.string(), ItemSchema),
  resources: z.record(z.string(), ItemSchema),
  resourceTemplates: z.record(z.string(), ItemSchema),
  digest: DigestSchema.describe(
    'Digest of everything the server offers (not of its source or how it was observed)',
  ),
});

export const ClientIdentitySchema = z
  .strictObject({
    name: z.string(),
    version: z.string(),
    capabilities: JsonObjectSchema,
  })
  .describe(
    'What mcp-lock declared when it connected: servers may list different tools to different clients',
  );

export const SamplingPolicySchema = z
  .strictObject({
    models: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Models the client may answer with (`*` matches any run of characters); any when left out'),
    maxTokens: z.number().int().positive().describe('Largest maxTokens one request may ask for'),
    requestsPerMinute: z.number().int().positive(),
    timeoutSeconds: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('How long the client gets to answer (default 60)'),
    sessionTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Total maxTokens of all requests in one session'),
  })
  .describe("What `mcp-lock run` forwards of a server's sampling requests; with no policy, none");

export const DecisionSchema = z
  .strictObject({
    code: z.string().describe('The finding code this decision covers'),
    server: z.string().describe('The server, or * for every server'),
    tool: z.string().optional().describe('The tool (or prompt or resource); every one when left out'),
    reason: z.string().min(1),
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
      .optional()
      .describe('Last day the decision applies'),
    sampling: SamplingPolicySchema.optional().describe(
      'With code "sampling": the sampling this server may ask of the client under `mcp-lock run`',
    ),
  })
  .describe('A reviewed decision: findings it covers are reported as accepted and do not fail the run');

export const LockfileSchema = z.strictObject({
  $schema: z.string().optional(),
  lockfileVersion: z.literal(LOCKFILE_VERSION),
  generator: z.string(),
  client: ClientIdentitySchema,
  servers: z.record(z.string(), LockServerSchema),
  decisions: z.array(DecisionSchema).optional(),
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

/** The JSON Schema of the lockfile (draft 2020-12), as committed in schemas/mcp-lock.schema.json. */
export function lockfileJsonSchema(): Record<string, unknown> {
  return {
    $id: 'mcp-lock.schema.json',
    title: 'mcp-lock lockfile',
    ...z.toJSONSchema(LockfileSchema, { target: 'draft-2020-12' }),
  };
}
