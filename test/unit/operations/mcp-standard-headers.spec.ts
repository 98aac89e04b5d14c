import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, readStandardHeaders, standardHeaderMismatch } from '../../../lib/operations/mcp-standard-headers.js';
import type { McpCall } from '../../../lib/operations/mcp-operation.js';

const createNote: McpCall = { method: 'tools/call', id: 1, target: { kind: 'tool', name: 'create-note' } };
const list: McpCall = { method: 'tools/list', id: 2 };
const base64 = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

describe('decodeHeaderValue', () => {
  it('O2: a plain value is itself', () => {
    expect(decodeHeaderValue('create-note')).toBe('create-note');
    expect(decodeHeaderValue('=?base64')).toBe('=?base64');
  });

  it('O2: decodes =?base64?…?= as UTF-8', () => {
    expect(decodeHeaderValue(base64('notes://ünïcode'))).toBe('notes://ünïcode');
    expect(decodeHeaderValue('=?base64??=')).toBe('');
  });

  it('O2: refuses a wrapped value that is not canonical base64 or not UTF-8', () => {
    for (const value of ['=?base64?not base64?=', '=?base64?Zm9?=', '=?base64?Zg?=', '=?base64?Zm9v-_==?=', `=?base64?${Buffer.from([0xff, 0xfe]).toString('base64')}?=`]) {
      expect(decodeHeaderValue(value), value).toBeNull();
    }
  });

  it('O2: a value without the exact wrapping is literal', () => {
    expect(decodeHeaderValue('=?base64?Zm9v?=x')).toBe('=?base64?Zm9v?=x');
  });
});

describe('readStandardHeaders', () => {
  it('O2: reads Mcp-Method and Mcp-Name (Node lower-cases header names)', () => {
    expect(readStandardHeaders({ 'mcp-method': 'tools/call', 'mcp-name': 'x' })).toEqual({ method: 'tools/call', name: 'x' });
    expect(readStandardHeaders({})).toEqual({ method: undefined, name: undefined });
    expect(readStandardHeaders({ 'mcp-name': ['a', 'b'] }).name).toBe('a, b');
  });
});

describe('standardHeaderMismatch', () => {
  it('O2: no headers, or headers that agree, are no mismatch', () => {
    expect(standardHeaderMismatch([createNote], {})).toBeUndefined();
    expect(standardHeaderMismatch([createNote], { method: 'tools/call', name: 'create-note' })).toBeUndefined();
    expect(standardHeaderMismatch([createNote], { method: ' tools/call\t', name: '\tcreate-note ' })).toBeUndefined();
    expect(standardHeaderMismatch([createNote], { method: 'tools/call', name: base64('create-note') })).toBeUndefined();
    expect(standardHeaderMismatch([list], { method: 'tools/list', name: 'anything' })).toBeUndefined();
  });

  it('O2: Mcp-Name naming another tool than the body is a mismatch', () => {
    expect(standardHeaderMismatch([createNote], { method: 'tools/call', name: 'whoami' })).toMatch(/Mcp-Name/);
    expect(standardHeaderMismatch([createNote], { name: base64('whoami') })).toMatch(/Mcp-Name/);
    // Case matters: tool names are compared exactly.
    expect(standardHeaderMismatch([createNote], { name: 'Create-Note' })).toMatch(/Mcp-Name/);
  });

  it('O2: Mcp-Method naming another method than the body is a mismatch', () => {
    expect(standardHeaderMismatch([createNote], { method: 'tools/list' })).toMatch(/Mcp-Method/);
  });

  it('O2: an invalid base64 wrapping is a mismatch, whatever the body', () => {
    expect(standardHeaderMismatch([list], { name: '=?base64?***?=' })).toMatch(/invalid/);
  });

  it('O2, O3: headers on a batch must fit every call', () => {
    expect(standardHeaderMismatch([createNote, list], { method: 'tools/call' })).toMatch(/Mcp-Method/);
    expect(standardHeaderMismatch([createNote, { ...createNote, id: 3 }], { method: 'tools/call', name: 'create-note' })).toBeUndefined();
  });
});
