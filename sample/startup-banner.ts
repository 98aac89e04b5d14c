import type { RunningSample } from './bootstrap.js';

/**
 * The web MCP Inspector the banner recommends. Its 2.x line needs Node >= 22.19 (engines `>=22.19.0`); on
 * older Node a bare `npx @modelcontextprotocol/inspector` silently resolves to an old 0.15 instead.
 */
export const MCP_INSPECTOR = { package: '@modelcontextprotocol/inspector', range: '^2', node: '22.19' } as const;

/** What the banner tells: the parts of the running sample a user connects to. */
export type BannerFacts = Pick<RunningSample, 'adapter' | 'mcpSdk' | 'mcpDpop' | 'mcpUrl' | 'notesUrl' | 'metadataUrls' | 'issuer' | 'devClient'>;

type DevClient = NonNullable<RunningSample['devClient']>;

const TOKEN_SCOPES = 'read:notes write:notes';
/** Reads the access token from the token endpoint's JSON; Node is there, since it runs the sample. */
const READ_ACCESS_TOKEN = `node -p 'JSON.parse(fs.readFileSync(0)).access_token'`;
const MCP_ACCEPT = 'application/json, text/event-stream';
const WHOAMI_CALL = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}';

/** What `/mcp` accepts in each DPoP mode (MCP_DPOP), in a few words. */
const DPOP_MODE_SUMMARY: Record<BannerFacts['mcpDpop'], string> = {
  allowed: 'DPoP allowed: Bearer tokens, or DPoP-bound ones with a proof per request (MCP_DPOP=required|off)',
  required: 'DPoP required: DPoP-bound tokens with a proof per request, no Bearer (MCP_DPOP)',
  off: 'DPoP off: Bearer tokens only (MCP_DPOP)',
};

/**
 * What the sample prints once it listens: where to connect and how, readable in ten seconds, every command
 * runnable as printed (a POSIX shell and curl). The dev client secret is printed because it belongs to a
 * throwaway in-memory development server.
 */
export function startupBanner(sample: BannerFacts): string {
  const inspector = `npx ${MCP_INSPECTOR.package}@${MCP_INSPECTOR.range}   (needs Node >= ${MCP_INSPECTOR.node})`;
  const { devClient } = sample;
  const lines = [
    '',
    `  Notes MCP server (nestjs-mcp-auth sample, ${sample.adapter}); Ctrl+C to stop.`,
    '',
    `  MCP endpoint   ${sample.mcpUrl}   (MCP SDK ${sample.mcpSdk}, Streamable HTTP; scope read:notes, create-note also write:notes)`,
    `                 ${DPOP_MODE_SUMMARY[sample.mcpDpop]}`,
    `  REST API       ${sample.notesUrl}   (GET read:notes, POST write:notes)`,
    `  Metadata       ${sample.metadataUrls.mcp}`,
    `                 ${sample.metadataUrls.notes}`,
    `  Issuer         ${sample.issuer}${devClient ? '   (embedded development server)' : '   (MCP_AUTH_ISSUER)'}`,
  ];
  if (devClient) {
    lines.push(
      `  Dev client     ${devClient.clientId} / ${devClient.clientSecret}   (client_credentials)`,
      '',
      `  MCP Inspector  ${inspector}`,
      `                 → Add Servers › Add manually: transport streamable-http, URL ${sample.mcpUrl}; flip its switch; log in with any user name.`,
      '',
      ...(sample.mcpDpop === 'required' ? curlNotesOnly(sample, devClient) : curlBoth(sample, devClient)),
    );
  } else {
    lines.push('', `  MCP Inspector  ${inspector}`, `                 → Add Servers › Add manually: transport streamable-http, URL ${sample.mcpUrl}; flip its switch; sign in at your issuer.`);
  }
  lines.push('');
  return lines.join('\n');
}

/** curl for both resources, with Bearer tokens (which /mcp takes unless MCP_DPOP=required). */
function curlBoth(sample: BannerFacts, devClient: DevClient): string[] {
  return [
    '  Try it with curl. A token is for one resource: MCP_TOKEN for /mcp, NOTES_TOKEN for /notes.',
    ...mintTokenCommand('MCP_TOKEN', sample.mcpUrl, sample.issuer, devClient),
    ...mintTokenCommand('NOTES_TOKEN', sample.notesUrl, sample.issuer, devClient),
    `    curl -s ${shellWord(sample.notesUrl)} -H "Authorization: Bearer $NOTES_TOKEN"`,
    `    curl -s ${shellWord(sample.mcpUrl)} -H "Authorization: Bearer $MCP_TOKEN" \\`,
    `      -H 'Content-Type: application/json' -H ${shellWord(`Accept: ${MCP_ACCEPT}`)} \\`,
    `      -d ${shellWord(WHOAMI_CALL)}`,
  ];
}

/** With MCP_DPOP=required curl can only reach /notes: a DPoP proof is a JWT signed per request, not a header to paste. */
function curlNotesOnly(sample: BannerFacts, devClient: DevClient): string[] {
  return [
    '  Try /notes with curl; /mcp needs a DPoP client (docs/sample.md, DPoP):',
    ...mintTokenCommand('NOTES_TOKEN', sample.notesUrl, sample.issuer, devClient),
    `    curl -s ${shellWord(sample.notesUrl)} -H "Authorization: Bearer $NOTES_TOKEN"`,
  ];
}

/** A client_credentials token request for one resource (RFC 8707), its access token stored in `variable`. */
function mintTokenCommand(variable: string, resource: string, issuer: string, devClient: DevClient): string[] {
  return [
    `    ${variable}=$(curl -s -u ${shellWord(`${devClient.clientId}:${devClient.clientSecret}`)} -d grant_type=client_credentials \\`,
    `      ${formField('scope', TOKEN_SCOPES)} ${formField('resource', resource)} ${shellWord(`${issuer}/token`)} \\`,
    `      | ${READ_ACCESS_TOKEN})`,
  ];
}

/** `-d name=value` when the value needs no form encoding (the usual URL), else curl's `--data-urlencode`. */
function formField(name: string, value: string): string {
  const flag = /^[\w.~:/@-]*$/.test(value) ? '-d' : '--data-urlencode';
  return `${flag} ${shellWord(`${name}=${value}`)}`;
}

/** The value as one shell word: as is when it holds nothing a shell would interpret, else single-quoted. */
function shellWord(value: string): string {
  return /^[\w.:/@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
