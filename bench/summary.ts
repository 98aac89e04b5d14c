import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_DIR } from './paths.js';
import type { BenchReport } from './report/results.js';
import { renderSummaryTable } from './report/summary-table.js';

// `npm run bench:summary -- latest node24`: prints the README's summary table from the named runs' JSON
// reports in bench/results (default: latest), so that the table is copied from a command, not assembled by hand.

const names = process.argv.slice(2);
const reports = await Promise.all(
  (names.length > 0 ? names : ['latest']).map(async (name) => JSON.parse(await readFile(join(RESULTS_DIR, `${name}.json`), 'utf8')) as BenchReport),
);
process.stdout.write(renderSummaryTable(reports));
