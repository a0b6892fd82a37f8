import { z } from 'zod';
import { SERVER_STATES } from '../core/assess.js';
import { FINDINGS, SEVERITIES, type FindingCode } from '../core/findings.js';
import { PermissionsSchema, SourceSchema } from '../core/lockfile/schema.js';
import { ERROR_CODES } from '../errors.js';

/**
 * The report of a run, declared once: renderers take it, `--format json` prints it, and
 * `schemas/report.schema.json` is generated from it (a test keeps them in sync).
 */
const CODES = Object.keys(FINDINGS) as [FindingCode, ...FindingCode[]];

export const FindingSchema = z.object({
  code: z.enum(CODES),
  severity: z.enum(SEVERITIES),
  server: z.string(),
  tool: z.string().optional(),
  prompt: z.string().optional(),
  resource: z.string().optional(),
  field: z.string().optional().describe('The field of the definition the finding is about'),
  message: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  accepted: z
    .object({ reason: z.string(), expires: z.string().optional() })
    .optional()
    .describe('A reviewed decision in the lockfile covers this finding: shown, but it does not fail the run'),
});

export const ServerStateSchema = z.enum(SERVER_STATES);

/** Every command that prints a report, declared once: the command table in src/commands/ is typed by it. */
export const COMMAND_NAMES = [
  'install',
  'update',
  'verify',
  'diff',
  'ls',
  'outdated',
  'audit',
  'policy',
  'pin',
  'accept',
  'allow-sampling',
  'keygen',
  'sign',
  'run',
  'wrap',
  'unwrap',
] as const;

export const SummarySchema = z
  .object({
    exitCode: z.number().int(),
    failing: z.number().int().describe('Findings that fail the run at this --fail-on'),
    bySeverity: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()]))),
    accepted: z.number().int().describe('Findings a reviewed decision covers'),
    unchecked: z.number().int().describe('Findings that say a server could not be checked'),
  })
  .describe('The verdict, computed once; every format prints this one');

export const ServerReportSchema = z.object({
  name: z.string(),
  state: ServerStateSchema,
  source: SourceSchema,
  locations: z
    .array(
      z.object({
        file: z.string(),
        key: z.string(),
        line: z.number().int().optional(),
        client: z.string().optional().describe('The client that reads this file'),
      }),
    )
    .optional()
    .describe('Where the server is configured, with the line of its entry'),
  counts: z
    .object({ tools: z.number(), prompts: z.number(), resources: z.number(), resourceTemplates: z.number() })
    .optional(),
  digests: z
    .object({ locked: z.string().optional(), live: z.string().optional() })
    .optional()
    .describe('The server digest in the lockfile and of what it offers now'),
  permissions: z.optional(PermissionsSchema).describe('What the lock lets the server do in its sandbox'),
  reason: z.string().optional().describe('Why the server could not be checked; secret values redacted'),
  stderr: z.string().optional().describe("The tail of the server's stderr; secret values redacted"),
});

export const ReportSchema = z.object({
  command: z.enum(COMMAND_NAMES),
  version: z.string().describe('mcp-lock version'),
  ok: z.boolean(),
  exitCode: z.number().int(),
  failOn: z.enum([...SEVERITIES, 'none']),
  lockfile: z.string(),
  lockfileWritten: z.boolean(),
  servers: z.array(ServerReportSchema),
  findings: z.array(FindingSchema),
  notes: z.array(z.string()),
  summary: SummarySchema,
  signature: z
    .object({
      status: z.enum(['valid', 'invalid', 'untrusted', 'missing', 'unchecked']),
      signer: z.string().optional().describe('Key fingerprint (key mode)'),
      message: z.string(),
    })
    .optional()
    .describe('The lockfile signature, as verify judged it'),
});

/** What `--format json` prints on stdout when the run could not be done (exit 2). */
export const ErrorReportSchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    hint: z.string().optional(),
  }),
});

export type ServerState = z.infer<typeof ServerStateSchema>;
export type ServerReport = z.infer<typeof ServerReportSchema>;
export type Report = z.infer<typeof ReportSchema>;
export type CommandName = Report['command'];
export type ErrorReport = z.infer<typeof ErrorReportSchema>;

/** The JSON Schema of `--format json` output, as committed in schemas/report.schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    $id: 'report.schema.json',
    title: 'mcp-lock report',
    ...z.toJSONSchema(z.union([ReportSchema, ErrorReportSchema]), { target: 'draft-2020-12', io: 'input' }),
  };
}
