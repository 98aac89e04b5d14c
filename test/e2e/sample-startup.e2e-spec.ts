import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { decodeJwt } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../sample/bootstrap.js';
import { cleanEnvironment } from '../consumers/consumer-workspace.js';
import { freePort } from '../fixtures/free-port.js';
import { ADAPTERS } from '../fixtures/http-app.js';
import {
  buildSample,
  idleConnection,
  probeLoop,
  startSampleProcess,
  type ProbeOutcome,
  type SampleExit,
  type SampleProcess,
} from '../fixtures/sample-process.js';

// A sample being started is polled from its first millisecond, as a health check, a curl loop or a retrying MCP
// client would, on fresh connections, on a keep-alive connection and on a connection that says nothing. Every
// probe gets an answer at once (503 + Retry-After while it starts, then the real metadata document) or a
// refused or reset connection; none waits, and none holds the start-up back: the sample comes up.
// `npm start` is then stopped with SIGINT and SIGTERM at several moments of its start-up: exit code 0, no stack.
// Its banner's curl commands are run as printed, with sh and curl, against it.

const execFileAsync = promisify(execFile);

const METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';
const isUp = (outcome: ProbeOutcome): boolean => outcome.kind === 'answer' && outcome.status === 200;

/** Probes of every kind against `port`, until one of each kind of connection has seen the app up. */
function pollFromNow(port: number): { finished: Promise<{ fresh: ProbeOutcome[]; keepAlive: ProbeOutcome[] }>; idleClosedByServer: Promise<boolean> } {
  const url = `http://127.0.0.1:${port}${METADATA_PATH}`;
  const fresh = probeLoop(url, { keepAlive: false, isDone: isUp });
  const keepAlive = probeLoop(url, { keepAlive: true, isDone: isUp });
  let done = false;
  const finished = Promise.all([fresh.finished, keepAlive.finished]).then(([freshOutcomes, keepAliveOutcomes]) => {
    done = true;
    return { fresh: freshOutcomes, keepAlive: keepAliveOutcomes };
  });
  // Opened while the port is held (or later, if the probes won the race): it must not keep the app from listening.
  const idleClosedByServer = idleConnection(port, () => done).then(async (idle) => {
    if (!idle) return false;
    let closed = false;
    void idle.closedByServer.then(() => (closed = true));
    await finished;
    idle.destroy();
    return closed;
  });
  return { finished, idleClosedByServer };
}

/** What start-up may answer: 503 + Retry-After: 1 and the connection closed, the real document, or an immediate refusal. */
function expectOnlyImmediateAnswers(outcomes: ProbeOutcome[], mcpResource: string): void {
  for (const outcome of outcomes) {
    if (outcome.kind === 'answer' && outcome.status === 503) {
      expect(outcome).toMatchObject({ retryAfter: '1', connection: 'close' });
    } else if (outcome.kind === 'answer') {
      expect(outcome.status).toBe(200);
      expect(JSON.parse(outcome.body)).toMatchObject({ resource: mcpResource });
    } else {
      // Refused before the port is held and during the handover; reset for a connection accepted just before it.
      expect(['refused', 'reset']).toContain(outcome.kind);
    }
  }
  expect(outcomes.filter(isUp)).toHaveLength(1);
}

describe.each(ADAPTERS)('sample start-up on %s (bootstrapSample)', (adapter) => {
  let sample: RunningSample | undefined;

  afterEach(async () => {
    await sample?.close();
    sample = undefined;
  });

  it('answers every probe at once while it starts, 503 + Retry-After until it is up, and comes up', async () => {
    const port = await freePort();
    const polling = pollFromNow(port);
    sample = await bootstrapSample({ adapter, port, authPort: 0, logger: false });
    const { fresh, keepAlive } = await polling.finished;

    expectOnlyImmediateAnswers(fresh, sample.mcpUrl);
    expectOnlyImmediateAnswers(keepAlive, sample.mcpUrl);
    // The probes ran through the start-up: they met the held port, not only the app.
    expect([...fresh, ...keepAlive].some((outcome) => outcome.kind === 'answer' && outcome.status === 503)).toBe(true);
    // Opened on the held port (it retries from the first millisecond too), and closed at the handover.
    expect(await polling.idleClosedByServer).toBe(true);
  });
});

describe('npm start (node dist-sample/sample/main.js; Express, the only adapter the command starts)', () => {
  let running: SampleProcess | undefined;

  beforeAll(async () => {
    await buildSample();
  }, 180_000);

  afterEach(() => {
    running?.kill();
    running = undefined;
  });

  async function startOnFreePorts(): Promise<{ sample: SampleProcess; port: number; authPort: number }> {
    const port = await freePort();
    let authPort = await freePort();
    while (authPort === port) authPort = await freePort();
    running = startSampleProcess({ PORT: String(port), AUTH_PORT: String(authPort) });
    return { sample: running, port, authPort };
  }

  function expectCleanExit(exit: SampleExit, sample: SampleProcess): void {
    expect(exit, sample.stdout() + sample.stderr()).toEqual({ code: 0, signal: null });
    expect(sample.stderr()).toBe('');
    expect(sample.stdout()).not.toMatch(/^\s+at /m);
  }

  it('answers every probe at once from its first millisecond, comes up, prints its banner, and stops on SIGTERM with 0', async () => {
    const { sample, port } = await startOnFreePorts();
    const polling = pollFromNow(port);
    const { fresh, keepAlive } = await polling.finished;
    const mcpResource = `http://127.0.0.1:${port}/mcp`;

    expectOnlyImmediateAnswers(fresh, mcpResource);
    expectOnlyImmediateAnswers(keepAlive, mcpResource);
    expect([...fresh, ...keepAlive].some((outcome) => outcome.kind === 'answer' && outcome.status === 503)).toBe(true);
    // Opened on the held port (it retries from the first millisecond too), and closed at the handover.
    expect(await polling.idleClosedByServer).toBe(true);
    await sample.printed('Ctrl+C to stop');

    expectCleanExit(await sample.stop('SIGTERM'), sample);
  }, 60_000);

  /** Moments of the start-up, each reached by watching the sample from outside. */
  const moments: Array<[string, (started: { sample: SampleProcess; port: number; authPort: number }) => Promise<void>]> = [
    ['as soon as it says it is starting (Nest still loading, the port not held yet)', ({ sample }) => sample.printed('Starting the notes MCP server')],
    [
      'while the port answers 503',
      // Stops at the first answer, and asserts it is the held port's: an app already up would answer 200.
      ({ port }) => firstOutcome(`http://127.0.0.1:${port}${METADATA_PATH}`, (outcome) => outcome.kind === 'answer', (outcome) => outcome.kind === 'answer' && outcome.status === 503),
    ],
    [
      'once the embedded authorization server answers (Nest starting)',
      ({ authPort }) => firstOutcome(`http://127.0.0.1:${authPort}/.well-known/openid-configuration`, isUp),
    ],
    ['once it is up', ({ port }) => firstOutcome(`http://127.0.0.1:${port}${METADATA_PATH}`, isUp)],
  ];

  it('its banner mints a token for each resource with curl, and each printed request gets 200 from the resource its token is for', async () => {
    const { sample, port } = await startOnFreePorts();
    await sample.printed('Ctrl+C to stop');
    const resources = { mcp: `http://127.0.0.1:${port}/mcp`, notes: `http://127.0.0.1:${port}/notes` };
    const { tokenCommands, requestCommands } = curlCommandsOf(sample.stdout());
    expect(tokenCommands).toHaveLength(2);
    expect(requestCommands).toHaveLength(2);

    const tokens = await runTokenCommands(tokenCommands);
    for (const command of requestCommands) {
      const [variable] = /\$(\w+)/.exec(command) ?? [];
      const token = tokens.get(variable!.slice(1));
      const { status, body } = await runRequestCommand(command, tokens);
      expect(status, `${command}\n${body}`).toBe(200);
      const url = /curl -s (\S+)/.exec(command)![1]!;
      // The token the command sends is the one minted for the resource it calls (RFC 8707 audience).
      expect(decodeJwt(token!).aud).toBe(url);
      if (url === resources.notes) {
        expect(Array.isArray(JSON.parse(body))).toBe(true);
      } else {
        expect(url).toBe(resources.mcp);
        const caller = JSON.parse(mcpToolResultText(body)) as Record<string, unknown>;
        expect(caller).toMatchObject({ subject: 'dev-client', clientId: 'dev-client', scopes: ['read:notes', 'write:notes'] });
      }
    }
    expect(new Set(requestCommands.map((command) => /curl -s (\S+)/.exec(command)![1]))).toEqual(new Set(Object.values(resources)));
  }, 60_000);

  describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (signal) => {
    it.each(moments)(`stops with exit code 0 and no stack trace when sent %s`, async (_moment, reach) => {
      const started = await startOnFreePorts();
      await reach(started);
      expectCleanExit(await started.sample.stop(signal), started.sample);
    }, 60_000);
  });
});

/**
 * Probes `url` until an outcome satisfies `isDone`, and fails unless that last outcome is the moment wanted
 * (`reached`, by default `isDone` itself): the loop also ends on silence, which reaches no moment.
 */
async function firstOutcome(url: string, isDone: (outcome: ProbeOutcome) => boolean, reached = isDone): Promise<void> {
  const outcomes = await probeLoop(url, { keepAlive: false, isDone }).finished;
  const last = outcomes.at(-1);
  expect(last !== undefined && reached(last), `the probes of ${url} ended with ${JSON.stringify(last)}`).toBe(true);
}

/**
 * The shell commands under the banner's "Try it with curl" line, continuation lines kept: the token requests
 * (`NAME=$(curl …)`) and the requests that use them.
 */
function curlCommandsOf(banner: string): { tokenCommands: string[]; requestCommands: string[] } {
  const lines = banner.split('\n');
  const commands: string[] = [];
  for (const line of lines.slice(lines.findIndex((candidate) => candidate.includes('Try it with curl')) + 1)) {
    if (!line.startsWith('    ')) break;
    const previous = commands.at(-1);
    if (previous?.endsWith('\\')) commands[commands.length - 1] = `${previous}\n${line}`;
    else commands.push(line.trim());
  }
  return {
    tokenCommands: commands.filter((command) => /^\w+=\$\(/.test(command)),
    requestCommands: commands.filter((command) => !/^\w+=\$\(/.test(command)),
  };
}

/** Runs the token commands as printed in one sh, and reads back the variables they set. */
async function runTokenCommands(commands: string[]): Promise<Map<string, string>> {
  const names = commands.map((command) => /^(\w+)=/.exec(command)![1]!);
  const script = [...commands, ...names.map((name) => `printf '%s=%s\\n' ${name} "$${name}"`)].join('\n');
  const { stdout } = await execFileAsync('sh', ['-c', script], { env: cleanEnvironment() });
  const tokens = new Map(stdout.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
  for (const name of names) expect(tokens.get(name), `${name} is not a JWT:\n${stdout}`).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return tokens;
}

/** Runs one printed request in sh, the tokens in its environment; curl's `-w` adds the status the banner leaves out. */
async function runRequestCommand(command: string, tokens: Map<string, string>): Promise<{ status: number; body: string }> {
  const { stdout } = await execFileAsync('sh', ['-c', `${command} -w '\\n%{http_code}'`], { env: cleanEnvironment(Object.fromEntries(tokens)) });
  const split = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(split + 1)), body: stdout.slice(0, split) };
}

/** The text of a tools/call result, from a JSON or an SSE (`data: …`) answer. */
function mcpToolResultText(body: string): string {
  const json = body.trimStart().startsWith('{') ? body : body.split('\n').find((line) => line.startsWith('data: '))!.slice('data: '.length);
  const message = JSON.parse(json) as { result: { content: Array<{ type: string; text: string }> } };
  return message.result.content[0]!.text;
}
