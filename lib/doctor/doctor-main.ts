import { McpAuthOptionsError } from '../errors/invalid-options.error.js';
import { parseDoctorArguments, USAGE, type DoctorArguments } from './doctor-arguments.js';
import { jsonReport, jsonUsageError } from './json-report.js';
import { runDoctor } from './run-doctor.js';
import { textReport } from './text-report.js';

/** What the command touches of its process, so tests can run it in-process. */
export interface DoctorIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
}

/** Exit codes: everything a guard needs passes, something does not, the command was called wrongly. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * `nestjs-mcp-auth <command> …`: runs `doctor` and returns the exit code. Bad arguments and unreadable token
 * files are one line (plus the usage) and exit 2; nothing is ever printed as a stack trace, and the token is
 * never printed at all.
 */
export async function nestjsMcpAuthMain(argv: readonly string[], io: DoctorIo): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const usageError = (message: string) => {
    if (json) io.stdout(jsonUsageError(message));
    io.stderr(`nestjs-mcp-auth doctor: ${message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  };
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (command !== 'doctor') return usageError(command === undefined ? 'no command given (the only one is "doctor")' : `unknown command "${command}"`);

  const parsed = parseDoctorArguments(rest);
  if (parsed.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') return usageError(parsed.message);
  const args = parsed.arguments;

  let token: string | undefined;
  try {
    token = await readToken(args, io);
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (token === '') return usageError('the token is empty');

  try {
    const report = await runDoctor(args, token);
    io.stdout(args.json ? jsonReport(report) : textReport(report));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } catch (error) {
    // The arguments make no valid module configuration: the library's own message names each problem.
    if (error instanceof McpAuthOptionsError) return usageError(error.problems.join('; '));
    io.stderr(`nestjs-mcp-auth doctor: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    return EXIT_FAILED;
  }
}

async function readToken(args: DoctorArguments, io: DoctorIo): Promise<string | undefined> {
  const source = args.token;
  if (source === undefined) return undefined;
  if (source.from === 'argument') return source.value.trim();
  if (source.from === 'stdin') return (await io.readStdin()).trim();
  try {
    return (await io.readFile(source.path)).trim();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`cannot read --token-file ${source.path}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: error });
  }
}
