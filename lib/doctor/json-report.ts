import type { DoctorReport } from './doctor-check.js';

/** The report as one JSON document, for scripts and CI: `{ ok, issuer, resources, checks: [{ status, title, detail, fix? }] }`. */
export function jsonReport(report: DoctorReport): string {
  return `${JSON.stringify({ ok: report.ok, issuer: report.issuer, resources: report.resources, checks: report.checks }, null, 2)}\n`;
}

/** A bad invocation as JSON, so `--json` callers always get a document to parse. */
export function jsonUsageError(message: string): string {
  return `${JSON.stringify({ ok: false, error: message }, null, 2)}\n`;
}
