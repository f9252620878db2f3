/** The pure parts of sign-in: the browser command, the store's binding, scope unions, failure messages. */
import { describe, expect, it } from 'vitest';
import { browserCommand } from './browser.js';
import { OAuthStore, recordName, type RecordStore } from './oauth-store.js';
import { describeSignInFailure } from './sign-in-failures.js';
import { unionOf } from './sign-ins.js';
import { redirectUrlOf } from './runtime-sign-ins.js';

const URL_WITH_SHELL = 'https://as.example/authorize?a=1&b=$(rm -rf ~)';

function memoryStore(): RecordStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (name) => values.get(name),
    set: (name, value) => {
      values.set(name, value);
      return Promise.resolve({ name, source: 'file' as const });
    },
    delete: (name) => Promise.resolve(values.delete(name)),
  };
}

describe('browserCommand', () => {
  it('uses the platform opener, the URL one argument that no shell sees', () => {
    expect(browserCommand(URL_WITH_SHELL, {}, 'linux')).toEqual(['xdg-open', [URL_WITH_SHELL]]);
    expect(browserCommand(URL_WITH_SHELL, {}, 'darwin')).toEqual(['open', [URL_WITH_SHELL]]);
    expect(browserCommand(URL_WITH_SHELL, {}, 'win32')).toEqual(['rundll32', ['url.dll,FileProtocolHandler', URL_WITH_SHELL]]);
  });

  it('honours BROWSER, with %s or the URL appended', () => {
    expect(browserCommand('https://x/a', { BROWSER: 'firefox --new-tab' }, 'linux')).toEqual(['firefox', ['--new-tab', 'https://x/a']]);
    expect(browserCommand('https://x/a', { BROWSER: 'open -a Safari %s' }, 'darwin')).toEqual(['open', ['-a', 'Safari', 'https://x/a']]);
  });
});

describe('OAuthStore', () => {
  it('keeps one record per server, bound to its URL', async () => {
    const backing = memoryStore();
    const store = new OAuthStore(backing);
    await store.update('docs', 'https://a.example/mcp', (record) => ({ ...record, scope: 'read' }));
    expect(store.read('docs', 'https://a.example/mcp').scope).toBe('read');
    // The same name at another URL: nothing of the old server's sign-in is used.
    expect(store.read('docs', 'https://b.example/mcp')).toEqual({ url: 'https://b.example/mcp' });
    await store.update('docs', 'https://a.example/mcp', (record) => ({ ...record, scope: undefined }));
    expect(backing.values.size).toBe(0);
  });

  it('never loses one of two changes made at once', async () => {
    const store = new OAuthStore(memoryStore());
    await Promise.all([
      store.update('s', 'u', (record) => ({ ...record, scope: 'a' })),
      store.update('s', 'u', (record) => ({ ...record, resource: 'r' })),
    ]);
    expect(store.read('s', 'u')).toMatchObject({ scope: 'a', resource: 'r' });
  });

  it('names records so that any server name is a valid, distinct secret name', () => {
    expect(recordName('my-server.v2')).toMatch(/^oauth_my_server_v2_[0-9a-f]{10}$/);
    expect(recordName('a-b')).not.toBe(recordName('a_b'));
  });
});

describe('sign-in helpers', () => {
  it('unites scopes in first-seen order', () => {
    expect(unionOf('mcp:read', 'mcp:read mcp:write')).toBe('mcp:read mcp:write');
    expect(unionOf(undefined, '')).toBeUndefined();
  });

  it('puts the redirect URI on a loopback address the browser can reach', () => {
    expect(redirectUrlOf('http://127.0.0.1:3741')).toBe('http://127.0.0.1:3741/oauth/callback');
    expect(redirectUrlOf('http://0.0.0.0:3741')).toBe('http://127.0.0.1:3741/oauth/callback');
    expect(redirectUrlOf('http://localhost:3741')).toBe('http://localhost:3741/oauth/callback');
  });

  it('says the cause and the next action of each failure', () => {
    const named = (name: string, message: string) => Object.assign(new Error(message), { name });
    expect(describeSignInFailure(named('RegistrationRejectedError', 'HTTP 403'))).toMatch(/refused to register .*"oauth.clientId"/);
    expect(describeSignInFailure(named('IssuerMismatchError', 'expected a'))).toMatch(/issuer .*nothing was saved/);
    expect(describeSignInFailure(named('AuthorizationServerMismatchError', 'x'))).toMatch(/changed .*sign in again/);
    expect(describeSignInFailure(Object.assign(new Error('bad'), { code: 'invalid_grant' }))).toMatch(/refused .*sign in again/);
    expect(describeSignInFailure(new Error('Protected resource https://x does not match expected https://y'))).toMatch(/another resource/);
    expect(describeSignInFailure(new TypeError('fetch failed'))).toMatch(/could not be reached/);
    expect(describeSignInFailure(new Error('Incompatible auth server: does not support dynamic client registration'))).toMatch(
      /set its id as "oauth.clientId"/,
    );
  });
});
