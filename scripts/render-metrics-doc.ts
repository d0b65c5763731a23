/**
 * Writes the field tables of docs/metrics.md from src/shared/snapshot-fields.ts, between the
 * `<!-- fields:start -->` and `<!-- fields:end -->` markers. `npm run docs:metrics`; a test
 * fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderFieldTable } from '../src/collector/metrics-doc.js';

const path = new URL('../docs/metrics.md', import.meta.url);
const doc = readFileSync(path, 'utf8');
const start = doc.indexOf('<!-- fields:start -->');
const end = doc.indexOf('<!-- fields:end -->');
if (start < 0 || end < start) throw new Error('docs/metrics.md has no <!-- fields:start --> … <!-- fields:end --> markers');
writeFileSync(path, `${doc.slice(0, start)}<!-- fields:start -->\n${renderFieldTable()}<!-- fields:end -->${doc.slice(end + '<!-- fields:end -->'.length)}`);
