import { Module } from '@nestjs/common';
import { McpAuthModule } from 'nestjs-mcp-auth';

// Three mistakes at once: the application stops at bootstrap and names them all.
@Module({
  imports: [
    McpAuthModule.forRoot({
      protectedResources: [{ resource: 'not a url', authorizationServers: [] }],
      jwt: { algorithms: ['HS256'] },
    }),
  ],
})
export class MisconfiguredModule {}
