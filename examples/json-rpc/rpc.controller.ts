import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { AuthInfo, BearerAuthGuard, McpOperationAccess, RequireScopes } from 'nestjs-mcp-auth';

interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: string | number;
  method: string;
  params?: { name?: string; uri?: string; arguments?: { text?: string } };
}

const TOOLS = [
  { name: 'list-notes', description: 'List the notes', inputSchema: { type: 'object' } },
  { name: 'create-note', description: 'Create a note', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
];
const notes: string[] = [];

// A hand-written JSON-RPC endpoint. By the time a call reaches it, the guard has checked the route's
// read:notes and what the `mcp` option asks of that call (create-note: write:notes).
@Controller('rpc')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes')
export class RpcController {
  constructor(private readonly access: McpOperationAccess) {}

  @Post()
  @HttpCode(200)
  handle(@Body() request: JsonRpcRequest, @AuthInfo() caller: AuthInfo) {
    const result = this.answer(request, caller);
    if (!result) return { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'Method not found' } };
    return { jsonrpc: '2.0', id: request.id, result };
  }

  private answer({ method, params }: JsonRpcRequest, caller: AuthInfo): object | undefined {
    switch (method) {
      case 'tools/list':
        // Only the tools this caller may call, marked cacheScope: 'private'.
        return this.access.filterList({ tools: TOOLS, ttlMs: 0, cacheScope: 'public' }, caller);
      case 'tools/call':
        if (params?.name === 'create-note') notes.push(params.arguments?.text ?? '');
        return { content: [{ type: 'text', text: JSON.stringify(notes) }] };
      case 'resources/read': {
        const text = notes[Number(params?.uri?.slice('notes://'.length)) - 1] ?? '';
        return { contents: [{ uri: params?.uri, text }], ttlMs: 0, cacheScope: 'private' };
      }
      case 'prompts/get':
        return { messages: [{ role: 'user', content: { type: 'text', text: `Summarise: ${notes.join('; ')}` } }] };
      default:
        return undefined;
    }
  }
}
