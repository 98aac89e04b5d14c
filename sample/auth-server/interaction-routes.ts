import type { IncomingMessage, ServerResponse } from 'node:http';

import type Provider from 'oidc-provider';

import { escapeHtml } from './html.js';

export const DEFAULT_DEV_USERNAME = 'dev-user';

// Matches the `interactions.url` configured for the provider.
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;
const MAX_FORM_BYTES = 16 * 1024;
const MAX_USERNAME_LENGTH = 200;

/**
 * Serves the development login and consent interaction.
 *
 * - GET  /interaction/:uid          login prompt → an HTML form (username, any or no password);
 *                                   consent prompt → granted at once, no page.
 * - POST /interaction/:uid/login    logs the user in as the submitted username.
 * - POST /interaction/:uid/abort    ends the request with access_denied.
 *
 * Plain forms and 303 redirects only, so a browser without JavaScript and a script with a cookie
 * jar can both complete it. Returns false when the request is not an interaction route.
 */
export async function handleInteractionRoute(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const match = INTERACTION_PATH.exec(path);
  if (match === null) return false;
  const action = match[2];

  try {
    if (action === undefined && req.method === 'GET') {
      await showInteraction(provider, req, res);
    } else if (action === 'login' && req.method === 'POST') {
      await submitLogin(provider, req, res);
    } else if (action === 'abort' && req.method === 'POST') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the user cancelled the login' },
        { mergeWithLastSubmission: false },
      );
    } else {
      sendHtml(res, 405, page('Method not allowed', '<p>Use the login form.</p>'));
    }
  } catch (error) {
    // Typically an expired interaction or a missing interaction cookie: a user-facing dead end,
    // not a server fault.
    const message = error instanceof Error ? error.message : String(error);
    if (!res.headersSent) {
      sendHtml(res, 400, page('Login failed', `<p>${escapeHtml(message)}</p><p>Start again from your client.</p>`));
    }
  }
  return true;
}

async function showInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = interaction;

  if (prompt.name === 'login') {
    sendHtml(res, 200, loginPage(uid, params));
    return;
  }

  if (prompt.name === 'consent') {
    // Development policy: consent is implied by logging in, so grant exactly what oidc-provider
    // reports missing (OIDC scopes, claims, and per-resource scopes) and carry on.
    const clientId = String(params['client_id']);
    const existing = interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId);
    const grant = existing ?? new provider.Grant({ accountId: session?.accountId, clientId });
    const details = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: existing === undefined ? { grantId } : {} },
      { mergeWithLastSubmission: true },
    );
    return;
  }

  sendHtml(res, 400, page('Unsupported prompt', `<p>${escapeHtml(prompt.name)}</p>`));
}

async function submitLogin(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.prompt.name !== 'login') {
    sendHtml(res, 400, page('Login failed', '<p>This request is not waiting for a login.</p>'));
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  // Any password (or none) is accepted: this server exists to be driven by scripts and tests.
  const username = (form.get('username') ?? '').trim() || DEFAULT_DEV_USERNAME;
  if (username.length > MAX_USERNAME_LENGTH) {
    sendHtml(res, 400, page('Login failed', '<p>That username is too long.</p>'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
}

function loginPage(uid: string, params: Record<string, unknown>): string {
  const describe = (value: unknown): string =>
    Array.isArray(value) ? value.join(', ') : typeof value === 'string' && value !== '' ? value : '(none)';
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    'Development login',
    `<p>Client <code>${escapeHtml(String(params['client_id']))}</code> asks for
scope <code>${escapeHtml(describe(params['scope']))}</code>
on resource <code>${escapeHtml(describe(params['resource']))}</code>.</p>
<form method="post" action="${base}/login">
  <label>Username <input name="username" value="${DEFAULT_DEV_USERNAME}" autofocus></label>
  <label>Password (ignored) <input name="password" type="password"></label>
  <button type="submit">Log in and allow</button>
</form>
<form method="post" action="${base}/abort">
  <button type="submit">Cancel</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
