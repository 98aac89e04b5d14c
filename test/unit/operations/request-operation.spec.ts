import { describe, expect, it } from 'vitest';
import type { HttpRequestLike } from '../../../lib/http/request-access.js';
import { OperationRequirementsTable } from '../../../lib/operations/operation-requirements.js';
import { requestOperation } from '../../../lib/operations/request-operation.js';

const table = new OperationRequirementsTable().add('tool', 'create-note', { scopes: ['write:notes'], roles: [] });
const operations = { table, publicDiscover: false };
const post = (body: unknown, headers: Record<string, string> = {}): HttpRequestLike => ({ headers, body });
const callTool = (name: string, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name } });

describe('requestOperation', () => {
  it('O1: a call of a declared tool requires its scopes; others require nothing more', () => {
    expect(requestOperation(post(callTool('create-note')), operations)).toEqual({ kind: 'requires', requirements: { scopes: ['write:notes'], roles: [] } });
    expect(requestOperation(post(callTool('whoami')), operations)).toEqual({ kind: 'none' });
    expect(requestOperation(post({ text: 'a REST body' }), operations)).toEqual({ kind: 'none' });
  });

  it('O2: headers that disagree with the body are a mismatch, answered with the request id', () => {
    const decision = requestOperation(post(callTool('create-note', 7), { 'mcp-method': 'tools/call', 'mcp-name': 'whoami' }), operations);
    expect(decision).toMatchObject({ kind: 'header-mismatch', id: 7 });
  });

  it('O2: headers are checked even where nothing is declared', () => {
    const empty = { table: new OperationRequirementsTable(), publicDiscover: false };
    expect(requestOperation(post(callTool('x'), { 'mcp-name': 'y' }), empty).kind).toBe('header-mismatch');
    expect(requestOperation(post(callTool('x'), { 'mcp-name': 'x' }), empty).kind).toBe('none');
  });

  it('O2: headers alone authorize nothing: without a readable body only the route applies', () => {
    expect(requestOperation(post(undefined, { 'mcp-method': 'tools/call', 'mcp-name': 'create-note' }), operations)).toEqual({ kind: 'none' });
    expect(requestOperation(post('{"jsonrpc":', { 'mcp-method': 'tools/call', 'mcp-name': 'create-note' }), operations)).toEqual({ kind: 'none' });
  });

  it('O3: a batch mismatch names no single id', () => {
    const decision = requestOperation(post([callTool('create-note', 1), callTool('create-note', 2)], { 'mcp-name': 'whoami' }), operations);
    expect(decision).toMatchObject({ kind: 'header-mismatch', id: null });
  });

  it('server/discover is public only by choice, and only alone', () => {
    const discover = { jsonrpc: '2.0', id: 1, method: 'server/discover' };
    expect(requestOperation(post(discover), operations)).toEqual({ kind: 'none' });
    expect(requestOperation(post(discover), { table, publicDiscover: true })).toEqual({ kind: 'public' });
    expect(requestOperation(post([discover, callTool('create-note')]), { table, publicDiscover: true }).kind).toBe('requires');
    expect(requestOperation(post(discover, { 'mcp-method': 'tools/list' }), { table, publicDiscover: true }).kind).toBe('header-mismatch');
  });
});
