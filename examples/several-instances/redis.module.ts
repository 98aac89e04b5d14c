import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

// Yours: one connected ioredis client for the application, closed when it stops.
@Global()
@Module({
  providers: [
    {
      provide: Redis,
      // enableOfflineQueue: false: while Redis is away, commands fail at once instead of queueing.
      useFactory: () => new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { enableOfflineQueue: false }),
    },
  ],
  exports: [Redis],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}
