import { describe, expect, it } from 'vitest';

import { fail, pass, reportOf, warn } from '../../../lib/doctor/doctor-check.js';
import { jsonReport, jsonUsageError } from '../../../lib/doctor/json-report.js';
import { textReport } from '../../../lib/doctor/text-report.js';

const good = reportOf('https://as.example.com', ['https://mcp.example.com/mcp'], [pass('A', 'fine'), warn('B', 'meh', 'do b')]);
const bad = reportOf('https://as.example.com', ['https://mcp.example.com/mcp'], [pass('A', 'fine'), fail('C', 'broken', 'do c'), fail('D', 'broken', 'do d')]);

describe('reports', () => {
  it('a warning does not fail the report; a failure does', () => {
    expect(good.ok).toBe(true);
    expect(bad.ok).toBe(false);
  });

  it('text: a mark per line, the fix under it, the verdict last', () => {
    expect(textReport(good)).toBe(
      [
        'nestjs-mcp-auth doctor: issuer https://as.example.com, resource https://mcp.example.com/mcp',
        '',
        '✔ A: fine',
        '⚠ B: meh',
        '    → do b',
        '',
        'OK: everything the guard needs passes (1 warning).',
        '',
      ].join('\n'),
    );
    expect(textReport(bad).trimEnd().split('\n').at(-1)).toBe('FAILED: 2 checks failed.');
    expect(textReport(reportOf('i', ['r'], [fail('C', 'x', 'y'), warn('B', 'x', 'y'), warn('E', 'x', 'y')])).trimEnd().split('\n').at(-1)).toBe(
      'FAILED: 1 check failed, 2 warnings.',
    );
    expect(textReport(reportOf('i', ['r'], [pass('A', 'x')])).trimEnd().split('\n').at(-1)).toBe('OK: everything the guard needs passes.');
  });

  it('JSON: one document', () => {
    expect(JSON.parse(jsonReport(bad))).toEqual({
      ok: false,
      issuer: 'https://as.example.com',
      resources: ['https://mcp.example.com/mcp'],
      checks: [
        { status: 'pass', title: 'A', detail: 'fine' },
        { status: 'fail', title: 'C', detail: 'broken', fix: 'do c' },
        { status: 'fail', title: 'D', detail: 'broken', fix: 'do d' },
      ],
    });
    expect(JSON.parse(jsonUsageError('nope'))).toEqual({ ok: false, error: 'nope' });
  });
});
