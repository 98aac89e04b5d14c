import { fork, type ChildProcess } from 'node:child_process';

/**
 * A benchmark child process (server, micro-benchmark, memory test) talking JSON messages over IPC.
 * Messages are queued until asked for, so none is lost between two awaits; an early exit or an
 * `{ type: 'error' }` message rejects whatever is awaited.
 */
export class BenchChild<Message extends { type: string }, Command = never> {
  private readonly queue: Message[] = [];
  private waiter: { type: string; resolve: (message: Message) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (message: Message) => {
      if (message.type === 'error') {
        this.fail(new Error(`${name} failed: ${(message as unknown as { message: string }).message}`));
        return;
      }
      this.queue.push(message);
      this.deliver();
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (code !== 0) this.fail(new Error(`${name} exited with ${signal ?? `code ${code}`}`));
        resolve(code);
      });
    });
  }

  /** Starts `script` with Node; `env` is added to this process's environment. */
  static start<Message extends { type: string }, Command = never>(
    name: string,
    script: string,
    env: Record<string, string>,
    execArgv: string[] = [],
  ): BenchChild<Message, Command> {
    const child = fork(script, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new BenchChild<Message, Command>(child, name);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The next message of this type (earlier ones of other types are kept for later). */
  next<Type extends Message['type']>(type: Type, timeoutMs = 600_000): Promise<Extract<Message, { type: Type }>> {
    if (this.failure) return Promise.reject(this.failure);
    const index = this.queue.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0] as Extract<Message, { type: Type }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = {
        type,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as Extract<Message, { type: Type }>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  send(command: Command): void {
    this.child.send(command as object);
  }

  /** Waits for the process to end by itself, killing it after `graceMs`. */
  async exit(graceMs = 10_000): Promise<void> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the process now (only this one process, by its handle). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private deliver(): void {
    if (!this.waiter) return;
    const index = this.queue.findIndex((message) => message.type === this.waiter!.type);
    if (index < 0) return;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter.resolve(this.queue.splice(index, 1)[0]!);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }
}
