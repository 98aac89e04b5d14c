import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from '../fixtures/free-port.js';
import { SetupError } from './setup-error.js';

const WATCHDOG = fileURLToPath(new URL('./redis-watchdog.mjs', import.meta.url));
const START_ATTEMPTS = 3;
const READY_WITHIN_MS = 10_000;

/** A redis-server of the test run's own, on a loopback port nobody else uses. */
export interface RedisServer {
  url: string;
  /** Stops the server at once (SIGKILL: nothing to save, and the "Redis went away" outage). */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port, without persistence, and waits until it answers PING.
 * It runs under redis-watchdog.mjs, so it ends with the process that started it even when that
 * process is killed. A port taken between choosing and binding it is retried on another one.
 */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort());
    } catch (error) {
      if (attempt === START_ATTEMPTS) throw error;
    }
  }
}

async function startOn(port: number): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
  const child = spawn(process.execPath, [WATCHDOG, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(() => undefined);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.stdin.end();
    await exited;
  };
  const ready = await Promise.race([answersPing(port, READY_WITHIN_MS), exited.then(() => false)]);
  if (!ready) {
    await stop();
    throw new SetupError(`redis-server did not start on 127.0.0.1:${port}${output.trim() ? `: ${output.trim()}` : ''}`);
  }
  // Only the start-up was worth reading.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/** Whether a Redis at the port answers PING within the time given, trying again while it is starting. */
async function answersPing(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await pingOnce(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

