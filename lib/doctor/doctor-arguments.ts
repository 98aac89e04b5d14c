import { PRESET_NAMES, type PresetName } from './provider-presets.js';

/** What `nestjs-mcp-auth doctor` was asked to check. */
export interface DoctorArguments {
  issuer: string;
  resources: string[];
  metadataUrl?: string;
  preset?: PresetName;
  scopes: string[];
  /** `scopeHierarchy`, as the module takes it: `{ broader: [narrower, …] }`. */
  scopeHierarchy?: Record<string, string[]>;
  /** Where the token comes from: the command line, a file, or standard input (`--token -`). */
  token?: { from: 'argument'; value: string } | { from: 'file'; path: string } | { from: 'stdin' };
  tokenFormat: 'jwt' | 'opaque';
  typ: 'strict' | 'lenient';
  algorithms?: string[];
  timeoutMs: number;
  json: boolean;
}

export type ParsedArguments = { kind: 'run'; arguments: DoctorArguments } | { kind: 'help' } | { kind: 'error'; message: string };

export const DEFAULT_TIMEOUT_MS = 5_000;

export const USAGE = `Usage: nestjs-mcp-auth doctor --issuer <url> --resource <url> [options]

Checks an authorization server setup, and optionally an access token, with the library's own code.

  --issuer <url>          the authorization server's issuer, exactly as configured
  --resource <url>        a protected resource identifier (repeatable)
  --metadata-url <url>    fetch the metadata here instead of the issuer's well-known URLs
  --preset <name>         the provider: ${PRESET_NAMES.join(', ')}
  --scope <scope>         a scope the token must grant (repeatable)
  --scope-hierarchy <json>  scopeHierarchy as in the module options, e.g. '{"notes:admin":["notes:read"]}'
  --token <jwt>           an access token to check; "-" reads it from standard input
  --token-file <path>     read the access token from a file
  --token-format <f>      jwt (default) or opaque
  --typ <policy>          lenient (default) or strict, as jwt.typ
  --algorithm <alg>       an accepted JWS algorithm (repeatable; default the library's list)
  --timeout <ms>          how long to wait for each server answer (default ${DEFAULT_TIMEOUT_MS})
  --json                  print one JSON document instead of text
  --help                  print this help

Exit code: 0 when everything a guard needs passes, 1 otherwise, 2 for bad arguments.`;

const VALUE_OPTIONS = new Set([
  '--issuer',
  '--resource',
  '--metadata-url',
  '--preset',
  '--scope',
  '--scope-hierarchy',
  '--token',
  '--token-file',
  '--token-format',
  '--typ',
  '--algorithm',
  '--timeout',
]);

/** Parses the arguments after `doctor`. Pure: never reads a file or the environment. */
export function parseDoctorArguments(argv: readonly string[]): ParsedArguments {
  const values = new Map<string, string[]>();
  let json = false;
  for (let index = 0; index < argv.length; index++) {
    const raw = argv[index]!;
    if (raw === '--help' || raw === '-h') return { kind: 'help' };
    if (raw === '--json') {
      json = true;
      continue;
    }
    // --name=value and --name value alike.
    const equals = raw.indexOf('=');
    const name = raw.startsWith('--') && equals > 0 ? raw.slice(0, equals) : raw;
    if (!VALUE_OPTIONS.has(name)) return { kind: 'error', message: `Unknown argument: ${raw}` };
    const value = name === raw ? argv[++index] : raw.slice(equals + 1);
    if (value === undefined || value === '') return { kind: 'error', message: `${name} needs a value` };
    values.set(name, [...(values.get(name) ?? []), value]);
  }

  const single = (name: string): string | undefined => values.get(name)?.at(-1);
  const issuer = single('--issuer');
  if (issuer === undefined) return { kind: 'error', message: '--issuer is required' };
  const resources = values.get('--resource') ?? [];
  if (resources.length === 0) return { kind: 'error', message: 'at least one --resource is required' };
  for (const [name, url] of [['--issuer', issuer], ['--metadata-url', single('--metadata-url')], ...resources.map((r) => ['--resource', r])]) {
    if (url !== undefined && !URL.canParse(url)) return { kind: 'error', message: `${name} is not a URL: ${url}` };
  }

  const preset = single('--preset');
  if (preset !== undefined && !(PRESET_NAMES as readonly string[]).includes(preset)) {
    return { kind: 'error', message: `--preset must be one of ${PRESET_NAMES.join(', ')}` };
  }
  const tokenFormat = single('--token-format') ?? 'jwt';
  if (tokenFormat !== 'jwt' && tokenFormat !== 'opaque') return { kind: 'error', message: '--token-format must be jwt or opaque' };
  const typ = single('--typ') ?? 'lenient';
  if (typ !== 'strict' && typ !== 'lenient') return { kind: 'error', message: '--typ must be strict or lenient' };
  const timeout = single('--timeout');
  const timeoutMs = timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return { kind: 'error', message: '--timeout must be a positive number of milliseconds' };

  const hierarchy = single('--scope-hierarchy');
  const scopeHierarchy = hierarchy === undefined ? undefined : parseScopeHierarchy(hierarchy);
  if (scopeHierarchy === null) return { kind: 'error', message: '--scope-hierarchy must be a JSON object of scope arrays, e.g. {"notes:admin":["notes:read"]}' };

  const tokenValue = single('--token');
  const tokenFile = single('--token-file');
  if (tokenValue !== undefined && tokenFile !== undefined) return { kind: 'error', message: 'give --token or --token-file, not both' };
  const token: DoctorArguments['token'] =
    tokenFile !== undefined
      ? { from: 'file', path: tokenFile }
      : tokenValue === '-'
        ? { from: 'stdin' }
        : tokenValue !== undefined
          ? { from: 'argument', value: tokenValue }
          : undefined;

  return {
    kind: 'run',
    arguments: {
      issuer,
      resources,
      metadataUrl: single('--metadata-url'),
      preset: preset as PresetName | undefined,
      scopes: values.get('--scope') ?? [],
      ...(scopeHierarchy ? { scopeHierarchy } : {}),
      token,
      tokenFormat,
      typ,
      algorithms: values.get('--algorithm'),
      timeoutMs,
      json,
    },
  };
}

/** `{ "broader": ["narrower", …] }`, or null when the text is anything else. */
function parseScopeHierarchy(text: string): Record<string, string[]> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  const valid = entries.every(([, narrower]) => Array.isArray(narrower) && narrower.every((scope) => typeof scope === 'string'));
  return valid ? (value as Record<string, string[]>) : null;
}
