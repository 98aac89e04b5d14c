import { describe, expect, it } from 'vitest';
import { authorizationHeaderValues, requestPath, setResponseHeader } from '../../../lib/http/request-access.js';

describe('authorizationHeaderValues', () => {
  it('C7: counts every Authorization line of the raw headers, whatever their case', () => {
    const request = { headers: {}, rawHeaders: ['Host', 'h', 'authorization', 'Bearer a', 'AUTHORIZATION', 'Bearer b', 'X-Authorization', 'c'] };
    expect(authorizationHeaderValues(request)).toEqual(['Bearer a', 'Bearer b']);
  });

  it('C7: a header name as long as Authorization is not Authorization', () => {
    expect(authorizationHeaderValues({ headers: {}, rawHeaders: ['Cache-Control', 'no-cache', 'Authorization', 'Bearer a'] })).toEqual(['Bearer a']);
  });

  it('a name left without its value at the end of the raw headers is no value', () => {
    expect(authorizationHeaderValues({ headers: {}, rawHeaders: ['Host', 'h', 'Authorization'] })).toEqual([]);
  });

  it('reads Fastify’s raw Node request first', () => {
    const request = { headers: { authorization: 'Bearer parsed' }, raw: { rawHeaders: ['Authorization', 'Bearer raw'] } };
    expect(authorizationHeaderValues(request)).toEqual(['Bearer raw']);
  });

  it.each([
    ['a single value', { authorization: 'Bearer a' }, ['Bearer a']],
    ['an array of values', { authorization: ['Bearer a', 'Bearer b'] }, ['Bearer a', 'Bearer b']],
    ['no header', {}, []],
  ])('falls back to the parsed headers without raw headers: %s', (_name, headers, expected) => {
    expect(authorizationHeaderValues({ headers })).toEqual(expected);
  });
});

describe('requestPath', () => {
  it.each([
    [{ originalUrl: '/mcp/x?access_token=t', url: '/x' }, '/mcp/x'],
    [{ url: '/notes?page=2' }, '/notes'],
    [{ url: '/notes' }, '/notes'],
    [{}, '/'],
  ])('%j → %s', (request, expected) => {
    expect(requestPath({ headers: {}, ...request })).toBe(expected);
  });
});

describe('setResponseHeader', () => {
  it('uses header() when the response has it (Express, Fastify reply)', () => {
    const written: string[] = [];
    setResponseHeader({ header: (name, value) => written.push(`${name}: ${value}`), setHeader: () => written.push('wrong') }, 'Retry-After', '5');
    expect(written).toEqual(['Retry-After: 5']);
  });

  it('falls back to setHeader() on a bare Node response', () => {
    const written: string[] = [];
    setResponseHeader({ setHeader: (name, value) => written.push(`${name}: ${value}`) }, 'Retry-After', '5');
    expect(written).toEqual(['Retry-After: 5']);
  });

  it('does nothing on an object that can set no header', () => {
    expect(() => setResponseHeader({}, 'Retry-After', '5')).not.toThrow();
  });
});
