import { describe, expect, it } from 'vitest';

import { DEFAULT_TIMEOUT_MS, parseDoctorArguments } from '../../../lib/doctor/doctor-arguments.js';

const base = ['--issuer', 'https://as.example.com', '--resource', 'https://mcp.example.com/mcp'];

describe('parseDoctorArguments', () => {
  it('reads the required options and applies the defaults', () => {
    expect(parseDoctorArguments(base)).toEqual({
      kind: 'run',
      arguments: {
        issuer: 'https://as.example.com',
        resources: ['https://mcp.example.com/mcp'],
        metadataUrl: undefined,
        preset: undefined,
        scopes: [],
        token: undefined,
        tokenFormat: 'jwt',
        typ: 'lenient',
        algorithms: undefined,
        timeoutMs: DEFAULT_TIMEOUT_MS,
        json: false,
      },
    });
  });

  it('repeats --resource, --scope and --algorithm; takes --name=value as well as --name value', () => {
    const parsed = parseDoctorArguments([...base, '--resource=https://mcp.example.com/other', '--scope', 'a', '--scope=b', '--algorithm', 'ES256', '--json']);
    expect(parsed.kind === 'run' && parsed.arguments).toMatchObject({
      resources: ['https://mcp.example.com/mcp', 'https://mcp.example.com/other'],
      scopes: ['a', 'b'],
      algorithms: ['ES256'],
      json: true,
    });
  });

  it('--scope-hierarchy takes the module option as JSON', () => {
    const parsed = parseDoctorArguments([...base, '--scope-hierarchy', '{"notes:admin":["notes:read"]}']);
    expect(parsed.kind === 'run' && parsed.arguments.scopeHierarchy).toEqual({ 'notes:admin': ['notes:read'] });
  });

  it.each(['[]', '{"a":"b"}', '{"a":[1]}', 'not json', 'null'])('--scope-hierarchy %s is an error', (text) => {
    expect(parseDoctorArguments([...base, '--scope-hierarchy', text])).toMatchObject({ kind: 'error', message: expect.stringContaining('--scope-hierarchy must be') });
  });

  it.each([
    [['--token', 'abc'], { from: 'argument', value: 'abc' }],
    [['--token', '-'], { from: 'stdin' }],
    [['--token-file', '/tmp/t'], { from: 'file', path: '/tmp/t' }],
  ])('the token comes from %j', (args, token) => {
    const parsed = parseDoctorArguments([...base, ...args]);
    expect(parsed.kind === 'run' && parsed.arguments.token).toEqual(token);
  });

  it.each([
    [[], '--issuer is required'],
    [['--issuer', 'https://as.example.com'], 'at least one --resource is required'],
    [[...base, '--resource', 'no url'], '--resource is not a URL: no url'],
    [[...base, '--metadata-url', 'nope'], '--metadata-url is not a URL: nope'],
    [[...base, '--issuer'], '--issuer needs a value'],
    [[...base, '--scope='], '--scope needs a value'],
    [[...base, '--preset', 'google'], '--preset must be one of keycloak, auth0, entra, okta, cognito'],
    [[...base, '--token-format', 'paseto'], '--token-format must be jwt or opaque'],
    [[...base, '--typ', 'loose'], '--typ must be strict or lenient'],
    [[...base, '--timeout', '0'], '--timeout must be a positive number of milliseconds'],
    [[...base, '--timeout', '1.5'], '--timeout must be a positive number of milliseconds'],
    [[...base, '--token', 'a', '--token-file', 'b'], 'give --token or --token-file, not both'],
    [[...base, 'extra'], 'Unknown argument: extra'],
  ])('%j is an error: %s', (args, message) => {
    expect(parseDoctorArguments(args)).toEqual({ kind: 'error', message });
  });

  it('--help wins over missing options', () => {
    expect(parseDoctorArguments(['--issuer', 'https://as.example.com', '--help'])).toEqual({ kind: 'help' });
    expect(parseDoctorArguments(['-h'])).toEqual({ kind: 'help' });
  });
});
