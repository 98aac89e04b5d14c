import type { DoctorReport, DoctorStatus } from './doctor-check.js';

const MARKS: Readonly<Record<DoctorStatus, string>> = { pass: '✔', warn: '⚠', fail: '✘' };

/** The report for a terminal: one line per check, what to change under each ✘ and ⚠, a verdict at the end. */
export function textReport(report: DoctorReport): string {
  const lines = [`nestjs-mcp-auth doctor: issuer ${report.issuer}, resource ${report.resources.join(', ')}`, ''];
  for (const check of report.checks) {
    lines.push(`${MARKS[check.status]} ${check.title}: ${check.detail}`);
    if (check.fix) lines.push(`    → ${check.fix}`);
  }
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  lines.push(
    '',
    report.ok
      ? `OK: everything the guard needs passes${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`
      : `FAILED: ${failed} check${failed === 1 ? '' : 's'} failed${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
