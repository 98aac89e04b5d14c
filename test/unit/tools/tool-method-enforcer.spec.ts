import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

import { McpAuthModule, MissingCredentialsFailure, RequireScopes } from '../../../lib/index.js';

@Injectable()
class Tools {
  @RequireScopes('read:notes')
  read(): string {
    return 'read';
  }
}

describe('ToolMethodEnforcer', () => {
  it('boots next to a provider whose prototype names another constructor (an ioredis client), and still guards tool methods', async () => {
    // ioredis copies EventEmitter's prototype members, `constructor` included, onto Redis.prototype.
    const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
    expect(Object.getPrototypeOf(redis).constructor).not.toBe(Redis);
    @Module({
      imports: [
        McpAuthModule.forRoot({
          protectedResources: [{ resource: 'https://api.example.com/mcp', authorizationServers: ['https://as.example.com'] }],
          discovery: { failFast: false },
        }),
      ],
      providers: [{ provide: Redis, useValue: redis }, Tools],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).setLogger(false as never).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      expect(() => app.get(Tools).read()).toThrow(MissingCredentialsFailure);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});
