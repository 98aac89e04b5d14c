import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { McpPrompt, McpResource, McpTool } from '../../../lib/decorators/mcp-operation.decorator.js';
import { RequireRoles } from '../../../lib/decorators/require-roles.decorator.js';
import { RequireScopes } from '../../../lib/decorators/require-scopes.decorator.js';
import { operationsDeclaredBy } from '../../../lib/operations/declared-operations.js';

type AnyFunction = (...args: unknown[]) => unknown;

@RequireScopes('read:notes')
class NotesTools {
  @McpTool('create-note')
  @RequireScopes('write:notes')
  @RequireRoles('editor')
  createNote() {}

  @McpTool('whoami')
  whoami() {}

  @McpResource('notes://all')
  @McpResource('notes://{id}')
  read() {}

  @McpPrompt('summarize')
  @RequireScopes('notes:summarize')
  summarize() {}

  @RequireScopes('write:notes')
  helper() {}
}

// What MCP-Nest's @Tool() and @ToolScopes() write (@rekog/mcp-nest v2 metadata keys).
class McpNestTools {
  createNote() {}
  anyOf() {}
}
Reflect.defineMetadata('mcp:tool', { name: 'nest-create' }, McpNestTools.prototype.createNote);
Reflect.defineMetadata('mcp:scopes', ['read:notes', 'write:notes'], McpNestTools.prototype.createNote);
Reflect.defineMetadata('mcp:scopes-match', 'all', McpNestTools.prototype.createNote);
Reflect.defineMetadata('mcp:roles', ['editor'], McpNestTools.prototype.createNote);
Reflect.defineMetadata('mcp:resource-template', { uriTemplate: 'nest://{id}' }, McpNestTools.prototype.anyOf);
Reflect.defineMetadata('mcp:scopes', ['a', 'b'], McpNestTools.prototype.anyOf);
Reflect.defineMetadata('mcp:scopes-match', 'any', McpNestTools.prototype.anyOf);

const reflector = new Reflector();
const declared = (type: abstract new () => object, method: string) =>
  operationsDeclaredBy(reflector, type as unknown as AnyFunction, (type.prototype as Record<string, AnyFunction>)[method]!);

describe('operationsDeclaredBy', () => {
  it('O1: @McpTool() with the class ∪ method scopes and roles', () => {
    expect(declared(NotesTools, 'createNote')).toEqual([
      { kind: 'tool', name: 'create-note', requirements: { scopes: ['read:notes', 'write:notes'], roles: ['editor'] } },
    ]);
    expect(declared(NotesTools, 'whoami')).toEqual([{ kind: 'tool', name: 'whoami', requirements: { scopes: ['read:notes'], roles: [] } }]);
  });

  it('O1: several @McpResource() on one method, and @McpPrompt()', () => {
    expect(declared(NotesTools, 'read').map(({ kind, name }) => `${kind} ${name}`).sort()).toEqual(['resource notes://all', 'resource notes://{id}']);
    expect(declared(NotesTools, 'summarize')[0]).toMatchObject({ kind: 'prompt', name: 'summarize' });
  });

  it('O1: a method that names no operation declares none', () => {
    expect(declared(NotesTools, 'helper')).toEqual([]);
  });

  it("O1: MCP-Nest's @Tool() with @ToolScopes() / @ToolRoles() is read as it is", () => {
    expect(declared(McpNestTools, 'createNote')).toEqual([
      { kind: 'tool', name: 'nest-create', requirements: { scopes: ['read:notes', 'write:notes'], roles: ['editor'] } },
    ]);
  });

  it("O1: an MCP-Nest `match: 'any'` list is left to MCP-Nest (all-of is all the guard can require)", () => {
    expect(declared(McpNestTools, 'anyOf')).toEqual([{ kind: 'resource', name: 'nest://{id}', requirements: { scopes: [], roles: [] } }]);
  });

  it('O1: the decorators refuse an empty name', () => {
    expect(() => McpTool('')).toThrow(/@McpTool\(\)/);
    expect(() => McpResource(undefined as never)).toThrow(/@McpResource\(\)/);
  });
});
