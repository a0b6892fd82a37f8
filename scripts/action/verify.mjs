// The GitHub Action's verify step (action.yml), runnable anywhere: inputs come from INPUT_* variables, results go to
// files named by GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and INPUT_SARIF. Runs mcp-lock without a shell.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const env = process.env;
const bin = env.MCP_LOCK_BIN ?? fileURLToPath(new URL('../../bin/mcp-lock.js', import.meta.url));
const input = (name, fallback = '') =>
  (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback).trim();

const args = [
  'verify',
  '--lockfile',
  input('lockfile', 'mcp-lock.json'),
  '--fail-on',
  input('fail-on', 'low'),
];
for (const file of input('config').split(/\s+/).filter(Boolean)) args.push('--config', file);
for (const key of input('key').split(/\s+/).filter(Boolean)) args.push('--key', key);
if (input('certificate-identity')) args.push('--certificate-identity', input('certificate-identity'));
if (input('certificate-identity-regexp'))
  args.push('--certificate-identity-regexp', input('certificate-identity-regexp'));
if (input('certificate-oidc-issuer'))
  args.push('--certificate-oidc-issuer', input('certificate-oidc-issuer'));
if (input('require-signature') === 'true') args.push('--require-signature');
if (input('offline') === 'true') args.push('--offline');

const sarifFile = input('sarif', 'mcp-lock.sarif');
const jsonFile = `${sarifFile}.json`;
const markdownFile = `${sarifFile}.md`;
// One run (the servers are launched once); SARIF and Markdown are rendered from its JSON report.
const result = spawnSync(process.execPath, [bin, ...args, '--format', 'json', '-o', jsonFile], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
});
const code = result.status ?? 2;

let markdown = `## mcp-lock verify could not run (exit ${code})\n\nSee the job log for the error.\n`;
try {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const dist = new URL('../../dist/report/', import.meta.url);
  const { renderSarif } = await import(new URL('sarif.js', dist).href);
  const { renderMarkdown } = await import(new URL('markdown.js', dist).href);
  writeFileSync(sarifFile, renderSarif(report));
  markdown = renderMarkdown(report);
  // Any other format the workflow asks for, to the file it names.
  const format = input('format');
  if (format && input('output')) {
    const renderers = {
      json: 'json.js#renderJson',
      sarif: 'sarif.js#renderSarif',
      markdown: 'markdown.js#renderMarkdown',
    };
    const human = format === 'human';
    const [file, name] = (human ? 'human.js#renderHuman' : (renderers[format] ?? '')).split('#');
    if (!file) throw new Error(`unknown format ${format}`);
    const render = (await import(new URL(file, dist).href))[name];
    writeFileSync(input('output'), human ? render(report, { color: false, full: true }) : render(report));
  }
} catch {
  // No report: the run could not be done (exit 2); the summary says so.
}
writeFileSync(markdownFile, markdown);
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown + '\n');
if (env.GITHUB_OUTPUT) {
  appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\ndrifted=${code === 1}\nreport=${markdownFile}\n`);
}
if (input('issue-body')) {
  const body = code === 1 ? `${markdown}\n_Found by the scheduled mcp-lock drift check._\n` : '';
  writeFileSync(input('issue-body'), body);
}
// A drift check reports through outputs and an issue; a gate fails the job.
process.exitCode = input('fail-job', 'true') === 'true' ? code : 0;
