/**
 * `GET /oauth/callback`: where the browser comes back after a sign-in. It carries no key (a browser
 * tab has none): the sign-in's single-use `state` is what lets it in. The answer is a small page that
 * says what happened, with a strict content policy.
 */
import type Koa from 'koa';
import { SignInError, type SignIns } from './sign-ins.js';

export const CALLBACK_PATH = '/oauth/callback';

export interface CallbackOptions {
  signIns: SignIns;
  /** Called once a server's sign-in completed: reconnects it. */
  onSignedIn(server: string): void;
}

export function createOAuthCallback(options: CallbackOptions): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== CALLBACK_PATH) {
      await next();
      return;
    }
    if (ctx.method !== 'GET') {
      ctx.status = 405;
      ctx.set('Allow', 'GET');
      return;
    }
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    try {
      const server = await options.signIns.complete(new URLSearchParams(ctx.querystring));
      options.onSignedIn(server);
      ctx.body = page('Signed in', `MCP Orch is signed in to “${server}”. You can close this tab.`);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      ctx.status = 400;
      const where = error.server ? ` to “${error.server}”` : '';
      ctx.body = page('Sign-in failed', `The sign-in${where} did not complete: ${error.message}.`);
    }
  };
}

function page(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · MCP Orch</title><style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:36rem;padding:0 1rem}h1{font-size:1.4rem}</style></head><body><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
