/**
 * Signing in to a remote server from the dashboard, in a real browser: a remote MCP server with its
 * own authorization server that asks for consent (an Approve link), a daemon whose system browser is
 * a command that does nothing (`BROWSER=true`), so the page's link is what the person opens. Needs
 * sign-in with the reason → Sign in → the link → consent → the daemon's "Signed in" page → the
 * server runs (live) and its tool answers → Sign out (confirmed) → needs sign-in again.
 */
import type { Page, TestInfo } from '@playwright/test';
import { startOAuthServer, type OAuthFixture } from '../main/core/oauth/__fixtures__/start-oauth-server.js';
import { seriousViolations } from './fixtures/axe.js';
import { defaultServers } from './fixtures/daemon.js';
import { expect, test as base } from './fixtures/orch-fixture.js';
import { ServersPage } from './pages/servers.page.js';

const test = base.extend<{ remote: OAuthFixture }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern.
  remote: async ({}, use) => {
    const remote = await startOAuthServer(['--consent']);
    await use(remote);
    remote.stop();
  },
  daemonOptions: async ({ remote }, use) => {
    await use({ servers: (home) => ({ example: defaultServers(home).example!, docs: { url: remote.url } }), env: { BROWSER: 'true' } });
  },
});

/**
 * Pictures of a part of the page in both themes, into the test's output folder (docs/screenshots/
 * takes the good ones), and the page checked with axe in each: no serious or critical violation.
 */
async function pictures(page: Page, info: TestInfo, name: string, part: () => ReturnType<Page['locator']>): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await part().screenshot({ path: info.outputPath(`${name}-${scheme}.png`), animations: 'disabled' });
    expect(await seriousViolations(page), `${name} (${scheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('signs in to a remote server through the link and the consent page, then signs out', async ({ dashboard, page, api }, info) => {
  await dashboard.open('/');
  const card = page.getByTestId('server-card-docs');
  await expect(card.getByText('needs sign-in', { exact: true })).toBeVisible();
  await expect(card.getByText('the server asks you to sign in')).toBeVisible();
  await pictures(page, info, 'sign-in-needed', () => card);

  await card.getByRole('button', { name: 'Sign in: docs' }).click();
  const link = card.getByRole('link', { name: 'this link' });
  await expect(card.getByTestId('sign-in-link-docs')).toHaveText('A browser window opened to sign in. If none did, open this link.');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(card.getByRole('status')).toHaveText('Waiting for the sign-in…');
  await pictures(page, info, 'sign-in-pending', () => card);

  const [consent] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await expect(consent.getByRole('heading', { name: 'Sign in to the test server' })).toBeVisible();
  await consent.locator('#approve').click();
  await expect(consent.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(consent.getByText('MCP Orch is signed in to “docs”. You can close this tab.')).toBeVisible();
  await consent.close();

  // Back in the dashboard, live: the server runs, and no sign-in is asked for any more.
  await expect(card.getByText('Healthy', { exact: true })).toBeVisible();
  await expect(card.getByText('running', { exact: true })).toHaveCount(1); // the state, said once (its badge)
  await expect(card.getByRole('button', { name: 'Sign in: docs' })).toHaveCount(0);
  await expect(card.getByRole('status')).toHaveCount(0);
  const answer = await api.tools.call({ server: 'docs', tool: 'echo', arguments: { text: 'hello from docs' } });
  expect(answer.result.content).toEqual([{ type: 'text', text: 'hello from docs' }]);

  await dashboard.open('/servers/docs');
  const servers = new ServersPage(page);
  const signIn = page.getByRole('region', { name: 'Sign-in of docs' });
  await expect(servers.detailState('docs')).toHaveText('running');
  await expect(signIn.getByText('Signed in', { exact: true })).toBeVisible();
  await expect(signIn.getByText('mcp:read', { exact: true })).toBeVisible();
  await expect(signIn.getByText(/renewed on its own/)).toBeVisible();
  await pictures(page, info, 'sign-in-detail', () => signIn);

  await signIn.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out of “docs”?' });
  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(signIn.getByText('Signed in', { exact: true })).toBeVisible();
  await signIn.getByRole('button', { name: 'Sign out' }).click();
  await dialog.getByRole('button', { name: 'Sign out' }).click();
  await expect(servers.detailState('docs')).toHaveText('needs sign-in');
  await expect(signIn.getByText('Not signed in', { exact: true })).toBeVisible();
  await expect(page.getByText('the server asks you to sign in', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in: docs' })).toBeVisible();
  await expect(api.tools.call({ server: 'docs', tool: 'echo', arguments: { text: 'again' } })).rejects.toThrow(/needs sign-in/);
});

test('a key that is not an admin is told, in words, that it may not start a sign-in', async ({ dashboard, page, api, transport }) => {
  test.skip(transport === 'bridge', 'the desktop bridge acts as the local admin');
  const { secret } = await api.tokens.create({ name: 'operator', role: 'operator', allow: [], deny: [] });
  await dashboard.open('/', secret);
  const card = page.getByTestId('server-card-docs');
  await card.getByRole('button', { name: 'Sign in: docs' }).click();
  await expect(card.getByRole('alert')).toHaveText(/^Could not start the sign-in: .*admin/);
  await expect(card.getByRole('link', { name: 'this link' })).toHaveCount(0);
  expect((await api.servers.status({ name: 'docs' })).signIn).toMatchObject({ pending: false });
});
