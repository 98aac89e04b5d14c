import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../../sample/bootstrap.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { startInspectorWeb, type InspectorWeb } from '../../fixtures/mcp-inspector-web.js';

// The walkthrough of docs/sample.md ("Connecting the MCP Inspector"), done as a person does it: the MCP
// Inspector's real web UI (2.x, on Node 22) in Chromium, against the sample on either adapter. Add the server
// (Streamable HTTP, the sample's /mcp URL), connect, log in on the embedded authorization server's page, see
// the tools, run whoami. Nothing leaves loopback: every other request (the UI's web fonts) is aborted.

const CHROMIUM = inject('chromiumPath');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
// The UI and the OAuth round trip are slow on a busy 2-core machine; these bound a hang, they time nothing.
const STEP_TIMEOUT_MS = 30_000;

let inspector: InspectorWeb;
let browser: Browser;

beforeAll(async () => {
  inspector = await startInspectorWeb();
  // A fresh temporary profile of its own, removed when it closes.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await inspector?.close();
});

describe.each(ADAPTERS)('the MCP Inspector web UI in Chromium, with the sample on %s', (adapter) => {
  const serverId = `notes-sample-${adapter}`;
  const username = `inspector-${adapter}`;
  let sample: RunningSample;
  let context: BrowserContext;
  let page: Page;
  const authorizationPages: string[] = [];

  beforeAll(async () => {
    sample = await bootstrapSample({ adapter, port: 0, authPort: 0, logger: false });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    await context.route('**/*', (route) => (LOOPBACK_HOSTNAMES.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await sample?.close();
  });

  it('adds the sample as a Streamable HTTP server and connects through the login on the authorization server', async () => {
    await page.goto(inspector.url);
    await page.getByRole('button', { name: 'Add Servers' }).click();
    await page.getByRole('menuitem', { name: 'Add manually' }).click();
    await page.getByRole('textbox', { name: 'Server ID' }).fill(serverId);
    await page.getByRole('textbox', { name: 'Transport' }).click();
    await page.getByRole('option', { name: 'streamable-http' }).click();
    await page.getByRole('textbox', { name: 'URL' }).fill(sample.mcpUrl);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // The switch's input is hidden under its track; a person clicks the track, which its label holds.
    const connectSwitch = page.getByRole('switch', { name: `Connect or disconnect "${serverId}"` });
    await page.locator('label', { has: connectSwitch }).click();

    // The sample answered 401; the Inspector discovered the authorization server, registered, and sent the
    // browser to the development login page.
    await page.waitForURL((url) => url.origin === sample.issuer);
    const usernameField = page.locator('input[name="username"]');
    await usernameField.waitFor();
    authorizationPages.push(`${await page.title()}: ${(await page.locator('body').innerText()).replace(/\s+/g, ' ').trim()}`);
    await usernameField.fill(username);
    await page.getByRole('button', { name: 'Log in and allow' }).click();

    // Back on the Inspector, which exchanges the code and connects.
    await page.waitForURL((url) => url.origin === new URL(inspector.url).origin);
    // Only this server's card can say so: the Inspector's example servers stay disconnected.
    await page.getByText('Connected', { exact: true }).waitFor();
    expect(await connectSwitch.isChecked()).toBe(true);
    expect(await page.getByText(sample.mcpUrl, { exact: true }).count()).toBe(1);

    expect(authorizationPages).toHaveLength(1);
    expect(authorizationPages[0]).toMatch(/^Development login: /);
    expect(authorizationPages[0]).toContain('scope read:notes');
    expect(authorizationPages[0]).toContain(`on resource ${sample.mcpUrl}`);
  }, 120_000);

  it('lists the sample tools', async () => {
    await page.locator('label').filter({ hasText: /^Tools$/ }).click();
    await page.getByText('Tools (3)', { exact: true }).waitFor();
    for (const tool of ['whoami', 'list-notes', 'create-note']) await page.getByRole('button', { name: tool, exact: true }).waitFor();
  }, 60_000);

  it('runs whoami and shows the user who logged in, with the read:notes scope of the token', async () => {
    await page.getByRole('button', { name: 'whoami', exact: true }).click();
    await page.getByRole('button', { name: 'Execute Tool' }).click();

    await page.getByText(`"subject": "${username}"`).waitFor();
    for (const line of [`"issuer": "${sample.issuer}"`, '"principalType": "user"', '"read:notes"']) await page.getByText(line).waitFor();
    expect(await page.getByText('"write:notes"').count()).toBe(0);
  }, 60_000);
});
