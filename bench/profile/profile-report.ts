import type { MachineInfo } from '../report/machine.js';
import type { CpuProfileSummary } from './cpu-profile-summary.js';

export interface ProfileSection {
  title: string;
  /** What ran while profiling, e.g. the req/s reached. */
  detail: string;
  profileFile: string;
  summary: CpuProfileSummary;
}

/**
 * Where the server's CPU time went under each profiled variant: by area, then the top functions by self time;
 * then `triedAndDropped`, the hand-kept record of what was measured and left (bench/profile/tried-and-dropped.md).
 */
export function renderProfileMarkdown(
  date: string,
  machine: MachineInfo,
  durationSeconds: number,
  connections: number,
  sections: ProfileSection[],
  triedAndDropped: string,
): string {
  const lines = [
    '# Server CPU profiles',
    '',
    `Run on ${date} · ${machine.cpuModel}, ${machine.cores} cores · Node ${machine.node} · load average ${machine.loadAverage.toFixed(2)} at start.`,
    `Reproduce with \`npm run bench:profile\` (\`BENCH_PROFILE_VARIANTS\` picks the variants; default b and d).`,
    '',
    `The server child records a V8 CPU profile (200 µs sampling, through an inspector session) during ${durationSeconds} s of load with ${connections} connections, ` +
      'after an unrecorded warm-up; the last section profiles our verifier alone, in process, with a new RS256 token per call. ' +
      "*Self* is the time an area's code was on top of the stack; *on the stack* is the time it was anywhere on it (everything it called " +
      'synchronously included, e.g. native crypto under jose), so native frames (`(native / V8 builtins)`) count for their JS callers in that ' +
      'column only. The raw `.cpuprofile` files open in Chrome DevTools.',
    '',
  ];
  for (const { title, detail, profileFile, summary } of sections) {
    lines.push(
      `## ${title}`,
      '',
      `${detail} · ${(summary.totalMs / 1000).toFixed(1)} s of samples · \`${profileFile}\``,
      '',
      '| area | self ms | self share | on the stack |',
      '|---|---:|---:|---:|',
      ...summary.areas.map(
        (area) => `| ${area.area} | ${area.selfMs.toFixed(0)} | ${(area.share * 100).toFixed(1)} % | ${(area.onStackShare * 100).toFixed(1)} % |`,
      ),
      '',
      '| self | function | where |',
      '|---:|---|---|',
      ...summary.functions.map((row) => `| ${(row.share * 100).toFixed(1)} % | \`${row.name}\` | ${row.location ? `\`${row.location}\`` : row.area} |`),
      '',
    );
  }
  lines.push(triedAndDropped.trimEnd(), '');
  return lines.join('\n');
}
