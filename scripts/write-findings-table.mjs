// Writes the README's findings table from the findings registry (built to dist/), between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { findingsTable } from '../dist/report/docs.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = '<!-- findings-table:start (npm run findings-table) -->';
const end = '<!-- findings-table:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from === -1 || to === -1) throw new Error('README.md has no findings-table markers');
writeFileSync(path, `${readme.slice(0, from + start.length)}\n${findingsTable()}\n${readme.slice(to)}`);
console.log('wrote the findings table in README.md');
