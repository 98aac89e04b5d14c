import { describe, expect, it } from 'vitest';
import { readJsonRpcCalls } from '../../../lib/operations/json-rpc-calls.js';

const call = (method: string, params?: unknown, id: unknown = 1) => ({ jsonrpc: '2.0', id, method, params });

describe('readJsonRpcCalls', () => {
  it('O1: reads the tool, resource and prompt a request names', () => {
    expect(readJsonRpcCalls(call('tools/call', { name: 'create-note', arguments: {} }))).toEqual([
      { method: 'tools/call', id: 1, target: { kind: 'tool', name: 'create-note' } },
    ]);
    expect(readJsonRpcCalls(call('resources/read', { uri: 'notes://7' }, 'a'))).toEqual([
      { method: 'resources/read', id: 'a', target: { kind: 'resource', name: 'notes://7' } },
    ]);
    expect(readJsonRpcCalls(call('prompts/get', { name: 'summarize' }))?.[0]?.target).toEqual({ kind: 'prompt', name: 'summarize' });
  });

  it('O1: other methods and notifications have no target; a notification has a null id', () => {
    expect(readJsonRpcCalls(call('tools/list'))).toEqual([{ method: 'tools/list', id: 1 }]);
    expect(readJsonRpcCalls({ jsonrpc: '2.0', method: 'notifications/initialized' })).toEqual([{ method: 'notifications/initialized', id: null }]);
  });

  it('O1: a named method without a string name has no target (the framework refuses it)', () => {
    expect(readJsonRpcCalls(call('tools/call', { name: 42 }))).toEqual([{ method: 'tools/call', id: 1 }]);
    expect(readJsonRpcCalls(call('tools/call', ['create-note']))).toEqual([{ method: 'tools/call', id: 1 }]);
    expect(readJsonRpcCalls(call('resources/read', { name: 'notes://7' }))).toEqual([{ method: 'resources/read', id: 1 }]);
  });

  it('O1: method names of Object.prototype find no table entry', () => {
    for (const method of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(readJsonRpcCalls(call(method, { name: 'x' }))).toEqual([{ method, id: 1 }]);
    }
  });

  it('O3: reads every call of a batch', () => {
    const calls = readJsonRpcCalls([call('tools/call', { name: 'whoami' }, 1), call('tools/call', { name: 'create-note' }, 2)]);
    expect(calls?.map((entry) => entry.target?.name)).toEqual(['whoami', 'create-note']);
  });

  it('O1: anything that is not JSON-RPC is left alone', () => {
    for (const body of [undefined, null, '', 'text', 42, {}, { hello: 1 }, [], { jsonrpc: '1.0', method: 'x' }, { jsonrpc: '2.0', id: 1, result: {} }]) {
      expect(readJsonRpcCalls(body)).toBeUndefined();
    }
    // A batch with one element that is not a call is not read at all: no call of it is authorized piecemeal.
    expect(readJsonRpcCalls([call('tools/call', { name: 'whoami' }), { jsonrpc: '2.0', id: 9, result: {} }])).toBeUndefined();
  });

  it('O1: a non-scalar id is answered as null', () => {
    expect(readJsonRpcCalls(call('tools/list', undefined, { x: 1 }))?.[0]?.id).toBeNull();
  });
});
