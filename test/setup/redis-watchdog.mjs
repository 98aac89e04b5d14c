// Runs redis-server (arguments passed through) for as long as the process that spawned this script lives.
// That process holds our stdin; when it ends, however it ends (a failed run, Ctrl+C, SIGTERM, even SIGKILL),
// the pipe closes and the server goes with it: a test run never leaves a redis-server behind.
import { spawn } from 'node:child_process';

const server = spawn('redis-server', process.argv.slice(2), { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => server.kill('SIGKILL');

process.stdin.on('end', stop).on('error', stop).resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('error', (error) => {
  console.error(`Could not run redis-server: ${error.message}`);
  process.exit(127);
});
server.on('exit', (code) => process.exit(code ?? 0));
