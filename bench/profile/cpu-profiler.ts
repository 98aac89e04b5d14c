import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of this process, started and stopped on command so that it covers the load of one
 * variant and not the bootstrap. Same data as `node --cpu-prof`, readable by Chrome DevTools.
 */
export class CpuProfiler {
  private readonly session = new Session();

  async start(samplingIntervalMicros = 200): Promise<void> {
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: samplingIntervalMicros });
    await this.session.post('Profiler.start');
  }

  async stop(file: string): Promise<void> {
    const { profile } = await this.session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    await this.session.post('Profiler.disable');
    this.session.disconnect();
  }
}
