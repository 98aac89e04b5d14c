import { describe, expect, it } from 'vitest';
import type { McpCall } from '../../../lib/operations/mcp-operation.js';
import { OperationRequirementsTable } from '../../../lib/operations/operation-requirements.js';

const tool = (name: string): McpCall => ({ method: 'tools/call', id: 1, target: { kind: 'tool', name } });
const read = (uri: string): McpCall => ({ method: 'resources/read', id: 1, target: { kind: 'resource', name: uri } });
const needs = (...scopes: string[]) => ({ scopes, roles: [] });

describe('OperationRequirementsTable', () => {
  it('O1: an operation needs what it declares; an undeclared one needs nothing', () => {
    const table = new OperationRequirementsTable().add('tool', 'create-note', needs('write:notes'));
    expect(table.requirementsOf([tool('create-note')]).scopes).toEqual(['write:notes']);
    expect(table.requirementsOf([tool('whoami')]).scopes).toEqual([]);
    expect(table.requirementsOf([{ method: 'tools/list', id: 1 }]).scopes).toEqual([]);
  });

  it('O1: tools, resources and prompts are separate name spaces', () => {
    const table = new OperationRequirementsTable().add('prompt', 'x', needs('p')).add('tool', 'x', needs('t'));
    expect(table.requirementsOf([tool('x')]).scopes).toEqual(['t']);
    expect(table.requirementsOf([{ method: 'prompts/get', id: 1, target: { kind: 'prompt', name: 'x' } }]).scopes).toEqual(['p']);
    expect(table.requirementsOf([read('x')]).scopes).toEqual([]);
  });

  it('O1: declarations of one operation add up, roles included', () => {
    const table = new OperationRequirementsTable().add('tool', 't', needs('a')).add('tool', 't', { scopes: ['b', 'a'], roles: ['editor'] });
    expect(table.requirementsOf([tool('t')])).toEqual({ scopes: ['a', 'b'], roles: ['editor'] });
  });

  it('O3: a batch needs the union of its calls', () => {
    const table = new OperationRequirementsTable().add('tool', 'create-note', needs('write:notes')).add('tool', 'purge', needs('notes:admin'));
    expect(table.requirementsOf([tool('whoami'), tool('create-note'), tool('purge')]).scopes).toEqual(['write:notes', 'notes:admin']);
  });

  it('O1: a resource URI declared exactly wins over the templates it fits', () => {
    const table = new OperationRequirementsTable().add('resource', 'notes://{id}', needs('notes:read-one')).add('resource', 'notes://all', needs('read:notes'));
    expect(table.requirementsOf([read('notes://all')]).scopes).toEqual(['read:notes']);
    expect(table.requirementsOf([read('notes://7')]).scopes).toEqual(['notes:read-one']);
    expect(table.requirementsOf([read('other://7')]).scopes).toEqual([]);
  });

  it('O1: a URI several templates fit needs all of their scopes', () => {
    const table = new OperationRequirementsTable().add('resource', 'file:///{+path}', needs('files:read')).add('resource', 'file:///secret/{name}', needs('files:secret'));
    expect(table.requirementsOf([read('file:///secret/key')]).scopes).toEqual(['files:read', 'files:secret']);
    expect(table.requirementsOf([read('file:///public/readme')]).scopes).toEqual(['files:read']);
  });

  it('O4: a template itself is looked up by its text', () => {
    const table = new OperationRequirementsTable().add('resource', 'notes://{id}', needs('notes:read-one'));
    expect(table.requirementsOfTemplate('notes://{id}').scopes).toEqual(['notes:read-one']);
    expect(table.requirementsOfTemplate('notes://{other}').scopes).toEqual([]);
  });

  it('O1: with() combines two tables without changing either', () => {
    const application = new OperationRequirementsTable().add('tool', 't', needs('a'));
    const resource = new OperationRequirementsTable().add('tool', 't', needs('b')).add('resource', 'x://{id}', needs('c'));
    const combined = application.with(resource);
    expect(combined.requirementsOf([tool('t')]).scopes).toEqual(['a', 'b']);
    expect(combined.requirementsOf([read('x://1')]).scopes).toEqual(['c']);
    expect(application.requirementsOf([tool('t')]).scopes).toEqual(['a']);
    expect(application.requirementsOf([read('x://1')]).scopes).toEqual([]);
  });

  it('O1: isEmpty until something is declared', () => {
    expect(new OperationRequirementsTable().isEmpty).toBe(true);
    expect(new OperationRequirementsTable().add('resource', 'x://{id}', needs('c')).isEmpty).toBe(false);
    expect(new OperationRequirementsTable().add('tool', 't', needs()).isEmpty).toBe(false);
  });
});
