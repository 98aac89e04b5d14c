import { describe, expect, it } from 'vitest';
import { filterListResult } from '../../../lib/operations/list-filter.js';
import { OperationRequirementsTable } from '../../../lib/operations/operation-requirements.js';
import { compileScopeHierarchy } from '../../../lib/scopes/scope-matching.js';

const table = new OperationRequirementsTable()
  .add('tool', 'create-note', { scopes: ['write:notes'], roles: [] })
  .add('tool', 'publish', { scopes: [], roles: ['editor'] })
  .add('resource', 'notes://{id}', { scopes: ['notes:read-one'], roles: [] })
  .add('prompt', 'summarize', { scopes: ['notes:summarize'], roles: [] });
const noHierarchy = compileScopeHierarchy();
const reader = { scopes: ['read:notes'], roles: [] };

describe('filterListResult', () => {
  it('O4: keeps the tools the caller may call and marks the result private', () => {
    const result = { tools: [{ name: 'whoami' }, { name: 'create-note' }, { name: 'publish' }], nextCursor: 'c2', ttlMs: 60000, cacheScope: 'public' };
    expect(filterListResult(result, reader, table, noHierarchy)).toEqual({ tools: [{ name: 'whoami' }], nextCursor: 'c2', ttlMs: 60000, cacheScope: 'private' });
    expect(filterListResult(result, { scopes: ['write:notes'], roles: ['editor'] }, table, noHierarchy).tools).toHaveLength(3);
    expect(result.tools).toHaveLength(3);
  });

  it('O4, T12: honours the scope hierarchy', () => {
    const hierarchy = compileScopeHierarchy({ 'notes:admin': ['write:notes'] });
    const result = filterListResult({ tools: [{ name: 'create-note' }] }, { scopes: ['notes:admin'], roles: [] }, table, hierarchy);
    expect(result.tools).toEqual([{ name: 'create-note' }]);
  });

  it('O4: filters resources by URI, templates by their text, and prompts by name', () => {
    const result = filterListResult(
      { resources: [{ uri: 'notes://7' }, { uri: 'notes://all/x' }], resourceTemplates: [{ uriTemplate: 'notes://{id}' }], prompts: [{ name: 'summarize' }, { name: 'other' }] },
      reader,
      table,
      noHierarchy,
    );
    expect(result).toEqual({ resources: [{ uri: 'notes://all/x' }], resourceTemplates: [], prompts: [{ name: 'other' }], cacheScope: 'private' });
  });
});
