import { Module } from '@nestjs/common';
import { issuerTemplate, keycloakClaims, McpAuthModule } from 'nestjs-mcp-auth';

import { TenantDirectory, TenantsModule } from './tenant-directory.js';
import { WhoamiController } from './whoami.controller.js';

const keycloak = process.env.KEYCLOAK_URL ?? 'https://sso.example.com';

// Keycloak, one realm per tenant.
@Module({
  imports: [
    McpAuthModule.forRootAsync({
      imports: [TenantsModule],
      inject: [TenantDirectory],
      useFactory: (tenants: TenantDirectory) => ({
        protectedResources: [
          {
            resource: 'http://localhost:3000/mcp',
            authorizationServers: [`${keycloak}/realms/default`], // advertised to MCP clients
            issuerResolver: issuerTemplate(`${keycloak}/realms/{realm}`, (realm) => tenants.exists(realm)),
          },
        ],
        mapClaims: keycloakClaims({ clients: ['notes-api'] }), // AuthInfo.tenant = the realm
      }),
    }),
  ],
  controllers: [WhoamiController],
})
export class AppModule {}
