import { describe, expect, it } from 'vitest';
import { extractCredentials, redactUrl, wwwAuthenticate, type RequestLike } from './extract-credentials.js';

const TOKEN = 'mo_AbC123-_xyz';

function request(authorization?: string | string[], url = '/mcp/github'): RequestLike {
  return { headers: { authorization }, url };
}

describe('extractCredentials', () => {
  it('reads a Bearer header, whatever the case of the scheme', () => {
    for (const header of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER   ${TOKEN}  `]) {
      expect(extractCredentials(request(header))).toEqual({ ok: true, token: TOKEN, source: 'header' });
    }
  });

  it('reads ?access_token for clients that cannot set headers', () => {
    expect(extractCredentials(request(undefined, `/sse/github?x=1&access_token=${TOKEN}`))).toEqual({
      ok: true,
      token: TOKEN,
      source: 'query',
    });
    expect(extractCredentials(request(undefined, `http://127.0.0.1:8000/mcp?access_token=${encodeURIComponent('a+b/c=')}#frag`))).toEqual({
      ok: true,
      token: 'a+b/c=',
      source: 'query',
    });
    expect(extractCredentials(request(undefined, `/mcp?access%5Ftoken=${TOKEN}`))).toMatchObject({ ok: true, token: TOKEN });
  });

  it('reports a request without a token as missing', () => {
    expect(extractCredentials(request())).toEqual({ ok: false, reason: 'missing' });
    expect(extractCredentials({ headers: {} })).toEqual({ ok: false, reason: 'missing' });
    expect(extractCredentials(request(undefined, '/mcp?token=x'))).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses other schemes, empty tokens, two tokens and both methods at once', () => {
    const reason = (r: RequestLike): string => {
      const result = extractCredentials(r);
      return result.ok ? 'ok' : result.reason === 'malformed' ? result.message : 'missing';
    };
    expect(reason(request('Basic dXNlcjpwYXNz'))).toMatch(/must use the Bearer scheme/);
    expect(reason(request('Bearer'))).toMatch(/no valid token/);
    expect(reason(request('Bearer two words'))).toMatch(/no valid token/);
    expect(reason(request([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]))).toMatch(/one Authorization header/);
    expect(reason(request(undefined, '/mcp?access_token='))).toMatch(/empty or not a token/);
    expect(reason(request(undefined, '/mcp?access_token=a&access_token=b'))).toMatch(/one access_token parameter, not 2/);
    expect(reason(request(`Bearer ${TOKEN}`, `/mcp?access_token=${TOKEN}`))).toMatch(/not both/);
  });
});

describe('redactUrl', () => {
  it('replaces every access_token value and leaves the rest as it was', () => {
    expect(redactUrl(`/mcp/github?access_token=${TOKEN}`)).toBe('/mcp/github?access_token=REDACTED');
    expect(redactUrl(`/sse?a=1&access_token=${TOKEN}&b=%20x#h`)).toBe('/sse?a=1&access_token=REDACTED&b=%20x#h');
    expect(redactUrl(`http://localhost:8000/mcp?Access_Token=${TOKEN}&access%5Ftoken=${TOKEN}`)).toBe(
      'http://localhost:8000/mcp?Access_Token=REDACTED&access%5Ftoken=REDACTED',
    );
    expect(redactUrl('/mcp?my_access_token=keep')).toBe('/mcp?my_access_token=keep');
    expect(redactUrl('/mcp/github')).toBe('/mcp/github');
  });

  it('redacts whatever extractCredentials would accept', () => {
    for (const url of [
      `/x?access_token=${TOKEN}`,
      `/x?ACCESS_TOKEN=${TOKEN}`,
      `/x?access%5ftoken=${TOKEN}`,
      `/x?%61ccess_token=${TOKEN}`,
    ]) {
      expect(extractCredentials({ headers: {}, url })).toMatchObject({ ok: true, token: TOKEN });
      expect(redactUrl(url)).not.toContain(TOKEN);
    }
  });
});

describe('wwwAuthenticate', () => {
  it('names the realm and the RFC 6750 error', () => {
    expect(wwwAuthenticate()).toBe('Bearer realm="mcp-orch"');
    expect(wwwAuthenticate('invalid_token')).toBe('Bearer realm="mcp-orch", error="invalid_token"');
  });
});
