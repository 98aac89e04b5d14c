import { describe, expect, it } from 'vitest';
import { compileScopeHierarchy, effectiveScopes, missingScopes, unionScopes } from '../../../lib/scopes/scope-matching.js';

const sorted = (values: Iterable<string>) => [...values].sort();

describe('compileScopeHierarchy', () => {
  it('T12: compiles nothing from no hierarchy', () => {
    expect(compileScopeHierarchy().size).toBe(0);
    expect(compileScopeHierarchy({}).size).toBe(0);
  });

  it('T12: maps each broader scope to itself and its narrower scopes, transitively', () => {
    const compiled = compileScopeHierarchy({ 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] });
    expect(sorted(compiled.get('notes:admin')!)).toEqual(['notes:admin', 'read:notes', 'write:notes']);
    expect(sorted(compiled.get('write:notes')!)).toEqual(['read:notes', 'write:notes']);
    expect(compiled.has('read:notes')).toBe(false);
  });

  it('T12: follows long chains and diamonds', () => {
    const compiled = compileScopeHierarchy({ a: ['b', 'c'], b: ['d'], c: ['d'], d: ['e'] });
    expect(sorted(compiled.get('a')!)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sorted(compiled.get('c')!)).toEqual(['c', 'd', 'e']);
  });

  it('T12: terminates on cycles; scopes in a cycle imply each other', () => {
    const compiled = compileScopeHierarchy({ a: ['b'], b: ['c'], c: ['a'] });
    for (const scope of ['a', 'b', 'c']) expect(sorted(compiled.get(scope)!)).toEqual(['a', 'b', 'c']);
  });

  it('T12: a broader scope listed with no narrower ones (from JavaScript) implies only itself', () => {
    expect(sorted(compileScopeHierarchy({ admin: undefined } as unknown as Record<string, string[]>).get('admin')!)).toEqual(['admin']);
  });

  it('T12: terminates on a scope that implies itself', () => {
    expect(sorted(compileScopeHierarchy({ a: ['a', 'b'] }).get('a')!)).toEqual(['a', 'b']);
  });
});

describe('effectiveScopes', () => {
  // Compiled inside each test, not while the suite is collected: a fault in it then fails tests, not the file.
  const hierarchy = () => compileScopeHierarchy({ admin: ['write'], write: ['read'] });

  it.each([
    { granted: [], effective: [] },
    { granted: ['read'], effective: ['read'] },
    { granted: ['write'], effective: ['read', 'write'] },
    { granted: ['admin'], effective: ['admin', 'read', 'write'] },
    { granted: ['other', 'write'], effective: ['other', 'read', 'write'] },
    { granted: ['read', 'read'], effective: ['read'] },
  ])('T12: $granted → $effective', ({ granted, effective }) => {
    expect(sorted(effectiveScopes(granted, hierarchy()))).toEqual(effective);
  });
});

describe('missingScopes', () => {
  const hierarchy = () => compileScopeHierarchy({ 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] });

  it.each([
    { required: [], granted: [], missing: [] },
    { required: [], granted: ['x'], missing: [] },
    { required: ['read:notes'], granted: [], missing: ['read:notes'] },
    { required: ['read:notes'], granted: ['read:notes'], missing: [] },
    { required: ['read:notes'], granted: ['write:notes'], missing: [] },
    { required: ['read:notes'], granted: ['notes:admin'], missing: [] },
    { required: ['read:notes', 'write:notes'], granted: ['notes:admin'], missing: [] },
    { required: ['write:notes'], granted: ['read:notes'], missing: ['write:notes'] },
    { required: ['notes:admin'], granted: ['write:notes', 'read:notes'], missing: ['notes:admin'] },
    { required: ['read:notes', 'write:notes', 'other'], granted: [], missing: ['read:notes', 'write:notes', 'other'] },
    { required: ['other', 'read:notes'], granted: ['write:notes'], missing: ['other'] },
  ])('T12: requires $required, granted $granted → missing $missing', ({ required, granted, missing }) => {
    expect(missingScopes(required, granted, hierarchy())).toEqual(missing);
  });

  it('T12: without a hierarchy, only exact scopes count', () => {
    expect(missingScopes(['read:notes'], ['write:notes'], compileScopeHierarchy())).toEqual(['read:notes']);
  });

  it('T12: scopes match exactly, never by case or prefix', () => {
    const none = compileScopeHierarchy();
    expect(missingScopes(['read'], ['READ'], none)).toEqual(['read']);
    expect(missingScopes(['read'], ['read:all'], none)).toEqual(['read']);
    expect(missingScopes(['read:all'], ['read'], none)).toEqual(['read:all']);
  });

  it('T12: the hierarchy never works upwards (narrower does not imply broader)', () => {
    expect(missingScopes(['notes:admin'], ['read:notes'], hierarchy())).toEqual(['notes:admin']);
  });

  it('T12: a cycle grants every scope in it', () => {
    expect(missingScopes(['a', 'b'], ['b'], compileScopeHierarchy({ a: ['b'], b: ['a'] }))).toEqual([]);
  });
});

describe('unionScopes', () => {
  it.each([
    { lists: [], union: [] },
    { lists: [undefined, undefined], union: [] },
    { lists: [['a', 'b'], undefined], union: ['a', 'b'] },
    { lists: [undefined, ['b', 'a']], union: ['b', 'a'] },
    { lists: [['a', 'b'], ['b', 'c']], union: ['a', 'b', 'c'] },
    { lists: [['c'], ['a', 'c', 'b'], ['a']], union: ['c', 'a', 'b'] },
    { lists: [['a', 'a']], union: ['a'] },
  ])('C9: $lists → $union (first occurrence order)', ({ lists, union }) => {
    expect(unionScopes(...lists)).toEqual(union);
  });
});
