import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecks } from '../../src/core/checks/index.js';
import { severityRank, type Finding } from '../../src/core/findings.js';
import type { ServerView } from '../../src/core/checks/types.js';
import type { JsonObject } from '../../src/core/server-snapshot.js';
import { ROOT } from '../helpers/cli.js';
import { view } from '../helpers/views.js';

/** A server as the corpus writes it: its tools and, optionally, the rest of what it offers. */
interface CorpusServer {
  name: string;
  tools: JsonObject[];
  serverInfo?: JsonObject;
  instructions?: string;
  prompts?: JsonObject[];
  resources?: JsonObject[];
  resourceTemplates?: JsonObject[];
}

export interface AttackCase {
  id: string;
  source: string;
  class: string;
  language: string;
  /** The codes that name this attack rightly; one of them must come at `low` or above. */
  expect: string[];
  server: CorpusServer;
  /** Other servers the same client loads (the victims of shadowing and steering). */
  alongside?: CorpusServer[];
  /** The config file the servers come from (decides the client). */
  file?: string;
}

const read = (...path: string[]) => JSON.parse(readFileSync(join(ROOT, ...path), 'utf8'));

function toView(server: CorpusServer, file = '.mcp.json'): ServerView {
  return view(
    server.name,
    server.tools,
    {
      ...(server.serverInfo ? { serverInfo: server.serverInfo } : {}),
      ...(server.instructions !== undefined ? { instructions: server.instructions } : {}),
      prompts: server.prompts ?? [],
      resources: server.resources ?? [],
      resourceTemplates: server.resourceTemplates ?? [],
    } as never,
    file,
  );
}

/** Fails the default gate (`--fail-on low`). */
const failing = (f: Finding) => severityRank(f.severity) >= severityRank('low');

export interface AttackResult {
  case: AttackCase;
  detected: boolean;
  findings: Finding[];
}

/** Each attack case with the findings on its server, and whether one of them names it rightly and fails the gate. */
export function measureAttacks(): AttackResult[] {
  const cases = read('test', 'corpus', 'attacks.json').cases as AttackCase[];
  return cases.map((c) => {
    const views = [c.server, ...(c.alongside ?? [])].map((s) => toView(s, c.file));
    const findings = runChecks(views).filter((f) => f.server === c.server.name);
    return { case: c, findings, detected: findings.some((f) => failing(f) && c.expect.includes(f.code)) };
  });
}

/** The real servers recorded in test/fixtures/benign, and the hand-written look-alikes of test/corpus/benign.json. */
export function benignServers(): { recorded: CorpusServer[]; written: CorpusServer[] } {
  const dir = join(ROOT, 'test', 'fixtures', 'benign');
  const recorded = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map(
      (f) => ({ ...read('test', 'fixtures', 'benign', f), name: f.replace(/\.json$/, '') }) as CorpusServer,
    );
  const written = read('test', 'corpus', 'benign.json').servers as CorpusServer[];
  return { recorded, written };
}

export interface BenignResult {
  /** Tools, prompts, resources and templates looked at. */
  definitions: number;
  /** Those with a finding at `low` or above. */
  flagged: string[];
  /** Findings at `low` or above about a server as a whole (its name, its instructions). */
  serverLevel: Finding[];
  /** High or critical findings on the recorded real servers. */
  highOnRecorded: Finding[];
}

/** Every benign server loaded together by one client: the harshest setting for cross-server checks. */
export function measureBenign(): BenignResult {
  const { recorded, written } = benignServers();
  const servers = [...recorded, ...written];
  const findings = runChecks(servers.map((s) => toView(s))).filter(failing);
  const definitions = servers.reduce(
    (n, s) =>
      n +
      s.tools.length +
      (s.prompts?.length ?? 0) +
      (s.resources?.length ?? 0) +
      (s.resourceTemplates?.length ?? 0),
    0,
  );
  const subject = (f: Finding) => f.tool ?? f.prompt ?? f.resource;
  const flagged = [
    ...new Set(findings.filter((f) => subject(f) !== undefined).map((f) => `${f.server}/${subject(f)}`)),
  ];
  const names = new Set(recorded.map((s) => s.name));
  return {
    definitions,
    flagged,
    serverLevel: findings.filter((f) => subject(f) === undefined),
    highOnRecorded: findings.filter(
      (f) => names.has(f.server) && severityRank(f.severity) >= severityRank('high'),
    ),
  };
}
