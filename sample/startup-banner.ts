import type { RunningSample } from './bootstrap.js';

/**
 * What the sample prints once it listens: where to connect and how, readable in ten seconds. The dev
 * client secret is printed because it belongs to a throwaway in-memory development server.
 */
export function startupBanner(sample: RunningSample): string {
  const lines = [
    '',
    `  Notes MCP server (nestjs-mcp-auth sample, ${sample.adapter})`,
    '',
    `  MCP endpoint   ${sample.mcpUrl}   (Streamable HTTP; scope read:notes, create-note also write:notes)`,
    `  REST API       ${sample.notesUrl}`,
    `  Metadata       ${sample.metadataUrls.mcp}`,
    `                 ${sample.metadataUrls.notes}`,
    `  Issuer         ${sample.issuer}${sample.authorizationServer ? '   (embedded development server)' : '   (MCP_AUTH_ISSUER)'}`,
  ];
  if (sample.devClient) {
    const { clientId, clientSecret } = sample.devClient;
    lines.push(
      `  Dev client     ${clientId} / ${clientSecret}   (client_credentials)`,
      '',
      '  MCP Inspector: npx @modelcontextprotocol/inspector',
      `                 → Transport "Streamable HTTP", URL ${sample.mcpUrl}, Connect; log in with any user name.`,
      '',
      '  A token with curl:',
      `    curl -s -u '${clientId}:${clientSecret}' -d grant_type=client_credentials \\`,
      `      --data-urlencode 'resource=${sample.mcpUrl}' --data-urlencode 'scope=read:notes write:notes' ${sample.issuer}/token`,
    );
  } else {
    lines.push(
      '',
      '  MCP Inspector: npx @modelcontextprotocol/inspector',
      `                 → Transport "Streamable HTTP", URL ${sample.mcpUrl}, Connect (sign in at your issuer).`,
    );
  }
  lines.push('', '  Ctrl+C to stop.', '');
  return lines.join('\n');
}
