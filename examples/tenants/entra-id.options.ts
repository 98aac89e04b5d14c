import { entraIdClaims, issuerTemplate, type McpAuthModuleOptions } from 'nestjs-mcp-auth';

/** Your customers: the Entra tenant ids allowed to call you. */
export interface CustomerDirectory {
  has(tenantId: string): boolean;
}

// Microsoft Entra ID, a multi-tenant app (v2 tokens carry `iss` = https://login.microsoftonline.com/{tid}/v2.0).
// Use it as the factory of forRootAsync: `useFactory: entraIdOptions, inject: [CustomerDirectory]`.
export function entraIdOptions(customers: CustomerDirectory): McpAuthModuleOptions {
  return {
    protectedResources: [
      {
        resource: 'https://api.example.com/mcp',
        audiences: ['api://notes-api'], // Entra stamps the application ID URI
        authorizationServers: ['https://login.microsoftonline.com/<your tenant id>/v2.0'],
        issuerResolver: issuerTemplate('https://login.microsoftonline.com/{tid}/v2.0', (tid) => customers.has(tid)),
      },
    ],
    mapClaims: entraIdClaims(), // AuthInfo.tenant = tid
  };
}
