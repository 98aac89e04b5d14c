import { describe, expect, it } from 'vitest';
import { compileUriTemplate, isUriTemplate } from '../../../lib/operations/uri-template.js';

const fits = (template: string, uri: string) => compileUriTemplate(template).test(uri);

describe('compileUriTemplate', () => {
  it('O1: a simple expression is one segment', () => {
    expect(fits('notes://{id}', 'notes://7')).toBe(true);
    expect(fits('notes://{id}', 'notes://')).toBe(true);
    expect(fits('notes://{id}', 'notes://7/comments')).toBe(false);
    expect(fits('notes://{id}', 'notes://7?x=1')).toBe(false);
    expect(fits('notes://{id}/comments', 'notes://7/comments')).toBe(true);
    expect(fits('notes://{a,b}', 'notes://1,2')).toBe(true);
  });

  it('O1: literals are literal, regular-expression characters included', () => {
    expect(fits('file:///a.b/{name}', 'file:///a.b/x')).toBe(true);
    expect(fits('file:///a.b/{name}', 'file:///aXb/x')).toBe(false);
    expect(fits('notes://(all)+', 'notes://(all)+')).toBe(true);
    expect(fits('notes://x', 'notes://xy')).toBe(false);
    expect(fits('notes://x', 'prefix-notes://x')).toBe(false);
  });

  it('O1: reserved and fragment expansion match anything', () => {
    expect(fits('file:///{+path}', 'file:///a/b/c.txt')).toBe(true);
    expect(fits('notes://x{#section}', 'notes://x#intro')).toBe(true);
    expect(fits('notes://x{#section}', 'notes://x')).toBe(true);
  });

  it('O1: path, label and query expressions', () => {
    expect(fits('notes:{/id}', 'notes:/1/2')).toBe(true);
    expect(fits('notes:{/id}', 'notes:')).toBe(true);
    expect(fits('file:///x{.ext}', 'file:///x.tar.gz')).toBe(true);
    expect(fits('search://notes{?q,limit}', 'search://notes?q=a&limit=2')).toBe(true);
    expect(fits('search://notes{?q,limit}', 'search://notes')).toBe(true);
    expect(fits('search://notes{?q}{&page}', 'search://notes?q=a&page=2')).toBe(true);
    expect(fits('m://x{;p}', 'm://x;p=1')).toBe(true);
  });

  it('O1: an invalid template is refused with its text', () => {
    expect(() => compileUriTemplate('notes://{id')).toThrow(/notes:\/\/\{id.*unclosed/);
    expect(() => compileUriTemplate('notes://{}')).toThrow(/invalid expression/);
    expect(() => compileUriTemplate('notes://{a b}')).toThrow(/invalid expression/);
  });
});

describe('isUriTemplate', () => {
  it('O1: tells templates from URIs', () => {
    expect(isUriTemplate('notes://{id}')).toBe(true);
    expect(isUriTemplate('notes://all')).toBe(false);
  });
});
