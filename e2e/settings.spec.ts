import { expect, test } from './fixtures/orch-fixture.js';
import { readConfig } from './pages/files.js';

test('creates a key shown once, rotates it, and revokes it after asking', async ({ dashboard, page, daemon, api }) => {
  await dashboard.open('/settings');
  await page.getByLabel('Name (who it is for)').fill('laptop-cursor');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'The key “laptop-cursor”' });
  await expect(dialog).toBeVisible();
  const secret = (await dialog.getByTestId('new-secret').textContent()) ?? '';
  expect(secret).toMatch(/^mo_/);
  expect((await fetch(`${daemon.url}/api/servers`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  const keys = page.getByRole('table', { name: 'API keys' });
  await expect(keys.getByRole('row').filter({ hasText: 'laptop-cursor' })).toContainText('viewer');
  expect(await page.content()).not.toContain(secret);

  await page.getByRole('button', { name: 'Rotate laptop-cursor' }).click();
  await expect(dialog.getByTestId('new-secret')).toHaveText(/^mo_/);
  const rotated = (await dialog.getByTestId('new-secret').textContent()) ?? '';
  expect(rotated).not.toBe(secret);
  await dialog.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'Revoke laptop-cursor' }).first().click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “laptop-cursor”?' });
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  expect((await api.tokens.list()).tokens.some((key) => key.name === 'laptop-cursor')).toBe(true);
  await page.getByRole('button', { name: 'Revoke laptop-cursor' }).first().click();
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('laptop-cursor revoked')).toBeVisible();
  expect((await api.tokens.list()).tokens.some((key) => key.name === 'laptop-cursor')).toBe(false);
  expect((await fetch(`${daemon.url}/api/servers`, { headers: { authorization: `Bearer ${rotated}` } })).status).toBe(401);
  await page.getByLabel('Show revoked, expired and rotated keys').check();
  await expect(keys.getByRole('row').filter({ hasText: 'revoked' }).first()).toBeVisible();
});

test('saves settings into orch through the same validation and reload', async ({ dashboard, page, daemon }) => {
  await dashboard.open('/settings');
  await page.getByLabel('Namespace separator (aggregated tool names)').fill('.');
  await page.getByLabel('Most tasks at once per server').fill('4');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/Saved and applied/)).toBeVisible();
  expect((await readConfig(daemon.configPath)).orch).toMatchObject({
    namespaceSeparator: '.',
    batch: { approveAll: true, perServerConcurrency: 4 },
  });
  await page.getByLabel('Namespace separator (aggregated tool names)').fill('no spaces!');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/orch\.namespaceSeparator/).first()).toBeVisible();
  expect((await readConfig(daemon.configPath)).orch?.namespaceSeparator).toBe('.');
});
