import { Controller, UseGuards } from '@nestjs/common';
import { McpHttpControllerFor, McpStrategy, StreamableHttpTransport } from '@rekog/mcp-nest';
import { BearerAuthGuard, protectedResourceMetadataUrl, RequireScopes } from 'nestjs-mcp-auth';

export const resource = 'http://localhost:3000/mcp';

// MCP-Nest answers a tools/call that lacks a tool's @ToolScopes with 403 insufficient_scope (step-up);
// its challenge points at our metadata document.
const transport = new StreamableHttpTransport({ stepUpAuthorization: { resourceMetadataUrl: protectedResourceMetadataUrl(resource) } });
export const mcp = new McpStrategy({ name: 'notes', version: '1.0.0', transports: [transport] });

// MCP-Nest's transport, mounted through a controller of your own so that the guard runs first.
@Controller('mcp')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes') // every MCP request needs a token for the resource with read:notes
export class McpHttpController extends McpHttpControllerFor(transport) {}
