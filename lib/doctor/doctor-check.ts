/** The verdict of one check: `fail` means a guard would refuse, `warn` that something else (a client) may. */
export type DoctorStatus = 'pass' | 'warn' | 'fail';

/** One line of the doctor's report. `fix` says what to change, for every `warn` and `fail`. */
export interface DoctorCheck {
  status: DoctorStatus;
  title: string;
  detail: string;
  fix?: string;
}

/** Everything the doctor concluded, in the order it checked. */
export interface DoctorReport {
  issuer: string;
  resources: readonly string[];
  checks: readonly DoctorCheck[];
  /** Whether everything a guard needs passed: the exit code is 0 exactly then. */
  ok: boolean;
}

export const pass = (title: string, detail: string): DoctorCheck => ({ status: 'pass', title, detail });
export const warn = (title: string, detail: string, fix: string): DoctorCheck => ({ status: 'warn', title, detail, fix });
export const fail = (title: string, detail: string, fix: string): DoctorCheck => ({ status: 'fail', title, detail, fix });

/** A report is good when no check failed; warnings are for clients, a guard does not need them fixed. */
export function reportOf(issuer: string, resources: readonly string[], checks: readonly DoctorCheck[]): DoctorReport {
  return { issuer, resources, checks, ok: checks.every((check) => check.status !== 'fail') };
}
