// Classes and functions both builds must export (a sample of the barrel, enough to catch a broken build).
export const PUBLIC_FUNCTIONS = [
  'McpAuthModule',
  'BearerAuthGuard',
  'RequireScopes',
  'AuthInfo',
  'McpAuthContext',
  'McpToolScopes',
  'McpTool',
  'McpOperationAccess',
  'AccessTokenVerifier',
  'McpSdkTokenVerifier',
  'McpAuthOptionsError',
];
