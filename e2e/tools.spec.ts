import { allServers, defaultServers, schemaServer } from './fixtures/daemon.js';
import { expect, test } from './fixtures/orch-fixture.js';
import { replaceEditorText } from './pages/editor.js';
import { ToolsPage } from './pages/tools.page.js';

// Most tests need only the example and the schema fixture (quick to start); the reference servers where their tools are used.
test.use({ daemonOptions: { servers: (home) => ({ ...defaultServers(home), schemas: schemaServer() }) } });

test('searches one catalog across servers and moves through it with the keyboard', async ({ dashboard, page }) => {
  await dashboard.open('/tools');
  const tools = new ToolsPage(page);
  await expect(tools.count).toHaveText(/^(\d+) of \1 tools$/);
  await expect(tools.option('either')).toBeVisible();
  await tools.search.fill('two numbers');
  await expect(tools.count).toHaveText(/^1 of \d+ tools$/);
  await tools.search.fill('');
  await page.getByLabel('Server', { exact: true }).selectOption('example');
  await expect(tools.count).toHaveText(/^3 of \d+ tools$/);

  await tools.catalog.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tools\/example\/echo$/);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tools\/example\/now$/);
});

test('tries a tool from its form, shows text and structured content, and runs it again', async ({ dashboard, page }) => {
  await dashboard.open('/tools/example/add');
  const tools = new ToolsPage(page);
  await tools.field('a *').fill('2');
  await tools.field('b *').fill('3');
  await tools.callButton('add').click();
  await expect(tools.result).toContainText('5');
  await expect(tools.result.getByText('Structured content')).toBeVisible();
  await expect(tools.result).toContainText('"sum": 5');
  await page.getByRole('button', { name: 'Run again with {"a":2,"b":3}' }).click();
  await expect(page.getByRole('button', { name: /^Run again/ })).toHaveCount(2);
});

test.describe('with the reference servers', () => {
  test.use({ daemonOptions: { servers: allServers } });

  test('builds nested objects and arrays, enums and defaults from the schema', async ({ dashboard, page, api }) => {
    await dashboard.open('/tools/memory/create_entities');
    const tools = new ToolsPage(page);
    await page.getByRole('button', { name: 'Add entities' }).click();
    const entity = page.getByRole('group', { name: 'entities 1' });
    await entity.getByLabel(/^name/).fill('Ada');
    await entity.getByLabel(/^entityType/).fill('person');
    await entity.getByRole('button', { name: 'Add observations' }).click();
    await entity.getByLabel(/^observations 1/).fill('wrote the first program');
    await tools.callButton('create_entities').click();
    await expect(tools.result).toContainText('Ada');
    const graph = await api.tools.call({ server: 'memory', tool: 'read_graph', arguments: {} });
    expect(JSON.stringify(graph.result)).toContain('wrote the first program');

    await dashboard.open('/tools/everything/get-resource-reference');
    await expect(page.getByLabel(/^resourceType/)).toHaveValue('Text');
    await expect(page.getByLabel(/^resourceId/)).toHaveValue('1');
    await page.getByLabel(/^resourceType/).selectOption('Blob');
    await tools.callButton('get-resource-reference').click();
    await expect(tools.result).toContainText(/blob/i);
  });

  test('renders an image result', async ({ dashboard, page }) => {
    await dashboard.open('/tools/everything/get-tiny-image');
    await new ToolsPage(page).callButton('get-tiny-image').click();
    await expect(page.getByRole('img', { name: 'Image returned by the tool' })).toHaveAttribute('src', /^data:image\/png;base64,/);
  });
});

test('falls back to a schema-checked JSON editor for a union or a $ref', async ({ dashboard, page }) => {
  await dashboard.open('/tools/schemas/either');
  const tools = new ToolsPage(page);
  await expect(page.getByText(/The form cannot express this schema \(\(arguments\)\.value uses anyOf\)/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Form' })).toBeDisabled();
  const editor = page.getByTestId('json-editor');
  await replaceEditorText(page, editor, '{ "value": true }');
  // The schema check underlines what the union does not allow.
  await expect(editor.locator('.cm-lintRange-error').first()).toBeVisible();
  await replaceEditorText(page, editor, '{ "value": 42 }');
  await tools.callButton('either').click();
  await expect(tools.result).toContainText('got {"value":42}');

  await dashboard.open('/tools/schemas/linked');
  await expect(page.getByText(/uses \$ref/)).toBeVisible();
});

test('disables and enables a tool', async ({ dashboard, page, api }) => {
  await dashboard.open('/tools/example/echo');
  const tools = new ToolsPage(page);
  const toggle = page.getByRole('switch', { name: 'echo enabled' });
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await expect(tools.callButton('echo')).toBeDisabled();
  await expect(tools.option('echo').getByText('off')).toBeVisible();
  expect((await api.tools.list({ server: 'example' })).tools.find((tool) => tool.name === 'echo')?.enabled).toBe(false);
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(tools.callButton('echo')).toBeEnabled();
});
