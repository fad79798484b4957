// End-to-end test of the web UI in real headless Chromium (Debian's package, never a downloaded
// browser), driven by playwright-core against a running `ferry server`:
//
//   node e2e/ui.e2e.mjs --base-url http://127.0.0.1:8080 --user admin --password ... \
//     --source-db shop --target-db dw --rows 30000 --screenshots ../ferry-dist/target/ui-screenshots
//
// The source database (MariaDB, 127.0.0.1:3306, root) holds `orders` with --rows rows; the target
// database (PostgreSQL, 127.0.0.1:5432, postgres) is empty. Through the UI only, the script logs
// in, creates both data sources and tests their connections (once with a fault, to see the error
// under the option), browses the catalog, creates a metadata collection task and browses what
// its first collection found (a table's columns, history and technical attributes), builds a task
// with the wizard (same-name mapping, a schedule), runs it and watches the progress reach 100 %,
// makes it slower (upsert, rate limit), runs it again and pauses and resumes it from the monitor,
// then counts the target's rows through the API. Each screen is saved as a PNG. Exit code 0 only when everything held.
//
// It waits on conditions, never on time: a drawer or modal until its animations finished, a select
// until its options arrived, a chart until the server's ticks arrived. A loaded machine makes it
// slower, not flaky.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
    user: { type: 'string', default: 'admin' },
    password: { type: 'string' },
    'source-db': { type: 'string' },
    'target-db': { type: 'string' },
    rows: { type: 'string' },
    screenshots: { type: 'string', default: 'target/ui-screenshots' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
for (const required of ['password', 'source-db', 'target-db', 'rows']) {
  if (!opt[required]) {
    console.error(`missing --${required}`);
    process.exit(2);
  }
}
const ROWS = Number(opt.rows);
const SHOTS = resolve(opt.screenshots);
mkdirSync(SHOTS, { recursive: true });
const profile = mkdtempSync(join(SHOTS, '..', 'chromium-profile-'));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: opt.chromium,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1440, height: 900 },
  locale: 'en-US',
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(30_000);
// The server's figures arrive every second over the WebSocket: a clock the script can wait on.
let serverTicks = 0;
page.on('websocket', (ws) =>
  ws.on('framereceived', (frame) => typeof frame.payload === 'string' && frame.payload.includes('"type":"server"') && serverTicks++),
);
const consoleErrors = [];
page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
page.on('pageerror', (e) => consoleErrors.push(String(e)));

let shotCount = 0;
async function shot(name) {
  shotCount++;
  const file = join(SHOTS, `${String(shotCount).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

const started = Date.now();
function step(text) {
  console.log(`- ${text} (at ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Polls `condition` (async) until it holds; `what` names it when it never does. */
async function until(condition, what, timeout = 60_000) {
  const end = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until nothing on the page is moving: no element in an enter, appear or leave motion (the
 * classes Ant Design's drawers, modals, dropdowns and messages carry while they slide or fade) and
 * no finite CSS animation or transition still running. Clicks land where the element will stay.
 * Waits 10 s at most: what still moves then is no reason to fail, as each click waits for its
 * element anyway.
 */
async function stillness() {
  await page
    .waitForFunction(
      () => {
        const moving = /(^|\s)[\w-]+-(appear|enter|leave)(-(prepare|start|active))?(\s|$)/;
        // Only what is shown counts: a hidden element's motion never ends on a loaded machine.
        const shown = (el) => !el || el.getClientRects().length > 0;
        for (const el of document.querySelectorAll('[class]')) {
          if (shown(el) && moving.test(typeof el.className === 'string' ? el.className : (el.className?.baseVal ?? ''))) return false;
        }
        return document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity || !shown(a.effect?.target));
      },
      null,
      { timeout: 10_000 },
    )
    .catch(() => {
      // Something keeps moving (a focus ring's transition restarted by hover, say): go on; every
      // click still waits until its own element is stable, and each step checks its outcome.
    });
}

/** Picks an option of an Ant Design select: opens it (the control with this id) once it is enabled
 * (a select is disabled until its options arrived), types to narrow a long (virtual) list, clicks
 * the option whose text is exactly the label, and waits until the dropdown closed. */
async function pick(id, label) {
  const control = page.locator(`#${id}`);
  await stillness();
  await control.click(); // waits until the control is visible, stable and enabled
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').first().waitFor();
  if (await control.isEditable()) await page.keyboard.type(label);
  const option = page.locator('.ant-select-item-option').filter({ has: page.getByText(label, { exact: true }) });
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ has: option });
  await dropdown.waitFor(); // the options arrived
  await stillness();
  await dropdown.locator(option).first().click();
  await dropdown.waitFor({ state: 'detached' }); // closed: the value is taken
}

/** Opens a drawer by a click and waits until it has slid in. */
async function openDrawer(button) {
  await stillness();
  await button.click();
  await page.locator('.ant-drawer-open').waitFor();
  await stillness();
}

/** Closes the open drawer and waits until it has slid away. */
async function closeDrawer() {
  await page.keyboard.press('Escape');
  await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
  await stillness();
}

/** Answers the modal dialog that has this title (a confirmation) with the button named `answer`. */
async function answer(title, answer) {
  const dialog = page.getByRole('dialog').filter({ hasText: title });
  await dialog.waitFor();
  await stillness();
  await dialog.getByRole('button', { name: answer }).click();
  await dialog.waitFor({ state: 'detached' });
  await stillness();
}

async function nav(name) {
  await page.locator('.ant-layout-sider .ant-menu-item', { hasText: name }).click();
}

/** The run's state as the monitor shows it. */
const monitorState = () => page.locator('.ant-tag[data-state]').first().getAttribute('data-state');

async function waitForState(state, timeout = 120_000) {
  await page.locator(`.ant-tag[data-state="${state}"]`).first().waitFor({ timeout });
}

async function api(method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const r = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    { method, path, body },
  );
}

const SOURCE_ALIAS = 'maria-src';
const TARGET_ALIAS = 'pg-dst';
const TASK = 'orders-to-pg';
const FOLDER = 'sales';
const CATALOG_TASK = 'shop catalog';
const FOLDER_DESCRIPTION = 'orders and customers, copied every week';

try {
  step('log in');
  await page.goto(opt['base-url']);
  await page.locator('#username').waitFor();
  await shot('login');
  await page.fill('#username', opt.user);
  await page.fill('#password', 'wrong-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong user name or password' }).waitFor();
  await page.fill('#password', opt.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('user-menu').waitFor();

  step('dashboard: server figures arrive over the WebSocket');
  await page.getByTestId('heap').waitFor();
  const ticks = serverTicks;
  await until(() => serverTicks >= ticks + 3, 'three server ticks: points on the live charts');
  await shot('dashboard');

  step('data source: MariaDB, saved and tested through the form');
  const connectorsLoaded = page.waitForResponse((r) => r.url().endsWith('/api/connectors') && r.ok());
  await nav('Data sources');
  await connectorsLoaded;
  await openDrawer(page.getByTestId('ds-create'));
  await pick('connector', 'mysql');
  await page.fill('#alias', SOURCE_ALIAS);
  await page.fill('#options_url', `jdbc:mariadb://127.0.0.1:3306/${opt['source-db']}`);
  await page.fill('#options_user', 'root');
  await page.getByTestId('ds-test').click();
  await page.getByTestId('ds-test-ok').waitFor();
  await shot('datasource-mariadb-tested');
  await closeDrawer();

  step('data source: PostgreSQL, first with a database that does not exist');
  await openDrawer(page.getByTestId('ds-create'));
  await pick('connector', 'postgresql');
  await page.fill('#alias', TARGET_ALIAS);
  await page.fill('#options_url', `jdbc:postgresql://127.0.0.1:5432/${opt['target-db']}_missing`);
  await page.fill('#options_user', 'postgres');
  await page.getByTestId('ds-test').click();
  await page.getByTestId('ds-test-failed').waitFor({ timeout: 120_000 }); // the server retries first
  // The problem shows under the option at fault (url), or above the form when it names none.
  await page
    .locator('.ant-drawer')
    .getByText(/database ".*_missing" does not exist/)
    .first()
    .waitFor();
  await stillness(); // the message's slide-in
  await shot('datasource-postgresql-test-failed');
  await page.fill('#options_url', `jdbc:postgresql://127.0.0.1:5432/${opt['target-db']}`);
  await page.getByTestId('ds-test').click();
  await page.getByTestId('ds-test-ok').waitFor();
  // The earlier problem leaves with an animation: wait for it to be gone, then make sure.
  const errors = page.locator('.ant-drawer .ant-form-item-explain-error');
  await errors
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => {});
  check((await errors.count()) === 0, 'a passing test clears the earlier problems');
  await closeDrawer();

  step('data source list and catalog');
  await page.getByRole('row', { name: new RegExp(TARGET_ALIAS) }).waitFor();
  await shot('datasources');
  await openDrawer(page.getByRole('row', { name: new RegExp(SOURCE_ALIAS) }).getByRole('button', { name: 'Browse' }));
  const tree = page.getByTestId('catalog-tree');
  await tree.getByText(opt['source-db'], { exact: true }).click();
  await tree.getByText('orders', { exact: true }).click();
  await page.getByRole('cell', { name: 'customer' }).waitFor();
  await shot('catalog');
  await closeDrawer();

  step('metadata catalog: a collection task, its first instance, the collected tables and their history');
  await nav('Metadata catalog');
  await page.getByRole('tab', { name: 'Collection tasks' }).click();
  await page.getByText(/No collection task yet/).waitFor();
  await page.getByRole('button', { name: 'New collection task' }).click();
  const catalogDialog = page.getByRole('dialog').filter({ hasText: 'New collection task' });
  await catalogDialog.waitFor();
  await stillness();
  await page.fill('#name', CATALOG_TASK);
  await pick('connector', 'mysql');
  await pick('dataSourceId', SOURCE_ALIAS);
  await catalogDialog.getByTestId('field-model').getByText('MySQL / MariaDB').waitFor();
  await catalogDialog.getByText('Weekly', { exact: true }).click();
  await pick('day', 'Monday');
  await catalogDialog.getByTestId('generated-cron').getByText('0 0 2 ? * MON', { exact: true }).waitFor();
  // The shared MariaDB holds other tests' databases: collect only the source's.
  await page.fill('#includes', opt['source-db']);
  await shot('catalog-task-create');
  await catalogDialog.getByRole('button', { name: 'OK' }).click();
  await catalogDialog.waitFor({ state: 'detached' });
  const catalogRow = page.getByRole('row', { name: new RegExp(CATALOG_TASK) });
  await catalogRow.getByText('0 0 2 ? * MON', { exact: true }).waitFor();
  // The first collection started at creation; the list follows it until it ends.
  await catalogRow.locator('.ant-tag[data-state="SUCCEEDED"]').waitFor({ timeout: 120_000 });
  await openDrawer(catalogRow.getByRole('button', { name: 'Instances' }));
  const instanceRow = page.locator('.ant-drawer').getByRole('row', { name: /Creation/ });
  await instanceRow.locator('.ant-tag[data-state="SUCCEEDED"]').waitFor();
  await shot('catalog-instances');
  await instanceRow.getByRole('button', { name: 'Error log' }).click();
  await page.getByText('No error: everything covered was read.').waitFor();
  await page.keyboard.press('Escape');
  await page.getByText('No error: everything covered was read.').waitFor({ state: 'hidden' });
  await closeDrawer();
  await page.getByRole('tab', { name: 'Catalog' }).click();
  const sources = page.getByTestId('catalog-sources');
  await sources.locator('.ant-tree-treenode', { hasText: SOURCE_ALIAS }).locator('.ant-tree-switcher').click();
  await sources.getByText(new RegExp(`^${opt['source-db']} \\(\\d+\\)$`)).click();
  await page.getByRole('link', { name: 'orders', exact: true }).click();
  await page.getByRole('cell', { name: 'customer', exact: true }).waitFor();
  await shot('catalog-table');
  await page.getByRole('tab', { name: 'Schema history' }).click();
  await page.getByRole('cell', { name: 'Added', exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Technical attributes' }).click();
  await page.getByText('InnoDB', { exact: true }).first().waitFor();

  step('folders: a name and a description, shown when pointing at the folder');
  await nav('Tasks');
  await page.getByText(/No tasks here yet/).waitFor();
  await shot('tasks-empty');
  await page.getByTestId('folder-new').click();
  await page.getByRole('dialog').waitFor();
  await stillness();
  await page.getByTestId('folder-name').fill(FOLDER);
  await page.getByTestId('folder-description').fill(FOLDER_DESCRIPTION);
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByTestId(`folder-${FOLDER}`).hover();
  await page.getByRole('tooltip').filter({ hasText: FOLDER_DESCRIPTION }).waitFor();
  await shot('folder-description');

  step('task wizard: basic info, source, target');
  await page.getByTestId('task-create').locator('button').first().click();
  await page.fill('#name', TASK);
  await page.fill('#description', 'orders from MariaDB to PostgreSQL, built in the web UI test');
  await shot('wizard-basic');
  await page.getByTestId('wizard-next').click();

  await pick('source_datasourceId', `${SOURCE_ALIAS} (mysql)`);
  await pick('source_schema', opt['source-db']);
  await pick('source_table', 'orders');
  await page.getByText(/5 columns, about/).waitFor();
  // The collection task above collected orders: its columns come from the catalog, which it says.
  await page.getByTestId('wizard-source-origin').filter({ hasText: 'Columns from the metadata catalog' }).waitFor();
  await shot('wizard-source');
  await page.getByTestId('wizard-next').click();

  await pick('target_datasourceId', `${TARGET_ALIAS} (postgresql)`);
  await pick('target_schema', 'public');
  await page.fill('#target_table', 'orders');
  await page.keyboard.press('Escape');
  await page.getByText('Not in the catalog: a new table.').waitFor(); // once the schema's tables arrived
  // A new table turns "create table" on (it follows the hint as the next render).
  await page.locator('#target_createTable[aria-checked="true"]').waitFor();
  await page.locator('#target_keys').click();
  await page.keyboard.type('id');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await shot('wizard-target');
  await page.getByTestId('wizard-next').click();

  step('task wizard: same-name mapping');
  await page.getByTestId('mapping-same-name').click();
  const summary = await page.getByTestId('mapping-summary').textContent();
  check(summary.startsWith('5 of 5 target columns linked'), `all columns linked: ${summary}`);
  await shot('wizard-mapping');
  await page.getByTestId('wizard-next').click();

  step('task wizard: settings, schedule, review');
  await page.fill('#settings_channels', '2');
  await shot('wizard-settings');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-schedule-enabled').click();
  await page.locator('label.ant-radio-button-wrapper', { hasText: 'Week' }).click();
  await page.locator('label.ant-checkbox-wrapper', { hasText: 'Wed' }).click();
  await page.getByTestId('schedule-preview-cron').filter({ hasText: 'MON,WED' }).waitFor();
  await shot('wizard-schedule');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-review').waitFor();
  await shot('wizard-review');
  await page.getByTestId('wizard-submit').click();
  // Scheduled but offline, it would never fire: the wizard offers to put it online.
  await page
    .getByRole('dialog')
    .filter({ hasText: `Put ${TASK} online?` })
    .waitFor();
  await shot('wizard-offer-online');
  await answer(`Put ${TASK} online?`, 'Later');
  await page.getByTestId('task-title').filter({ hasText: TASK }).waitFor();
  await shot('task-detail');

  step('first run: progress to 100 %');
  await page.getByTestId('task-run').click();
  await page.waitForURL(/#\/runs\/\d+/);
  const firstRun = Number(page.url().match(/runs\/(\d+)/)[1]);
  await waitForState('SUCCEEDED');
  await page.getByTestId('run-progress').filter({ hasText: '100.0 %' }).waitFor();
  check(
    (await page.getByTestId('run-rows-written').textContent()).replace(/\D/g, '') === String(ROWS),
    'the monitor shows every row written',
  );
  await shot('run-succeeded');
  // A run that ended keeps its speeds: the charts show them after a reload too.
  await page.reload();
  await page.getByTestId('run-progress').filter({ hasText: '100.0 %' }).waitFor();
  await until(async () => (await page.locator('.ant-card canvas').count()) >= 2, 'the charts of the ended run');
  check((await page.getByText('The charts fill while the run executes.').count()) === 0, 'the ended run has its charts');
  await shot('run-succeeded-charts');

  step('make the task slower (upsert, rate limit) in the wizard');
  await page.goto(`${opt['base-url']}/#/tasks`);
  await page.getByRole('link', { name: TASK }).click();
  await page.getByTestId('task-edit').click();
  await page.locator('#name').waitFor();
  await page.getByTestId('wizard-next').click(); // source
  await page.getByTestId('wizard-next').click(); // target
  // The first run created the table: typed again, it exists, and "create table" goes off.
  await page.fill('#target_table', '');
  await page.locator('#target_table').pressSequentially('orders');
  await page.keyboard.press('Escape');
  await page.getByText('The table exists: the rows go into it.').waitFor();
  await page.locator('#target_createTable[aria-checked="false"]').waitFor(); // an existing table: off
  await shot('wizard-target-existing');
  await pick('target_writeMode', 'upsert');
  await page.getByTestId('wizard-next').click(); // mapping
  await page.getByTestId('wizard-next').click(); // settings
  await page.fill('#settings_recordsPerSecond', String(Math.max(500, Math.round(ROWS / 10))));
  await page.getByTestId('wizard-next').click(); // schedule
  await page.getByTestId('wizard-next').click(); // review
  await page.getByTestId('wizard-submit').click();
  await answer(`Put ${TASK} online?`, 'Online now');
  await page.getByTestId('task-title').waitFor();
  await page.locator('.ant-badge').filter({ hasText: 'Online' }).first().waitFor();

  step('second run: pause and resume from the monitor');
  await page.getByTestId('task-run').click();
  await page.waitForURL((url) => /#\/runs\/\d+/.test(url.hash) && !url.hash.endsWith(`/runs/${firstRun}`));
  const secondRun = Number(page.url().match(/runs\/(\d+)/)[1]);
  await waitForState('RUNNING', 60_000);
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid="run-progress"]');
    return p && parseFloat(p.textContent) > 0;
  });
  await page.getByTestId('run-pause').click();
  await waitForState('PAUSED', 15_000);
  const atPause = await page.getByTestId('run-progress').textContent();
  const pausedAt = serverTicks;
  await until(() => serverTicks >= pausedAt + 2, 'two server ticks while paused');
  check((await page.getByTestId('run-progress').textContent()) === atPause, 'nothing moves while paused');
  check(parseFloat(atPause) < 100, `paused before the end (${atPause})`);
  await shot('run-paused');
  await page.getByTestId('run-resume').click();
  await waitForState('RUNNING', 15_000);
  await until(
    async () => parseFloat(await page.getByTestId('run-progress').textContent()) > parseFloat(atPause),
    'progress beyond the pause',
  );
  await shot('run-resumed');
  await waitForState('SUCCEEDED', 180_000);
  await page.getByTestId('run-progress').filter({ hasText: '100.0 %' }).waitFor();
  await shot('run-resumed-succeeded');

  step('count the target rows through the API');
  for (const id of [firstRun, secondRun]) {
    const run = await api('GET', `/api/runs/${id}`);
    check(run.json.state === 'SUCCEEDED' && run.json.recordsWritten === ROWS, `run ${id} wrote ${ROWS} rows: ${JSON.stringify(run.json)}`);
  }
  const count = await api('POST', '/api/runs', {
    name: 'count-target',
    script: `source: {datasource: ${TARGET_ALIAS}, table: public.orders}\nsink: {connector: blackhole}\n`,
  });
  check(count.status === 202, `the counting run starts: ${JSON.stringify(count.json)}`);
  let counted;
  await until(async () => {
    counted = (await api('GET', `/api/runs/${count.json.id}`)).json;
    return ['SUCCEEDED', 'FAILED', 'STOPPED'].includes(counted.state);
  }, 'the counting run to end');
  check(counted.state === 'SUCCEEDED' && counted.recordsRead === ROWS, `the target holds ${ROWS} rows: ${JSON.stringify(counted)}`);
  console.log(`  the target holds ${counted.recordsRead} rows`);

  step('rerun of a run that inserted rows: a warning first');
  await page.goto(`${opt['base-url']}/#/runs/${firstRun}`);
  await page.getByTestId('run-rerun').click();
  const warning = page.getByTestId('rerun-warning');
  await warning.filter({ hasText: `already wrote ${ROWS.toLocaleString('en-US')} rows in write mode insert` }).waitFor();
  check((await warning.textContent()).includes('upsert'), 'the warning names the write modes that avoid duplicates');
  await stillness();
  await shot('rerun-warning');
  await answer('writes its rows again', 'Cancel');

  step('script editor: a template from the picked source and target');
  await page.goto(`${opt['base-url']}/#/tasks/new-script`);
  await page.getByTestId('script-editor').waitFor();
  await until(
    async () => /datasource: maria-src[\s\S]*datasource: pg-dst/.test(await page.getByTestId('script-editor').inputValue()),
    'the template of the first two data sources',
  );
  await pick('template-sink', 'blackhole');
  await until(
    async () => (await page.getByTestId('script-editor').inputValue()).includes('connector: blackhole'),
    'the blackhole template',
  );
  await shot('script-template');

  step('script editor: syntax checked as typed, the server problems listed');
  await page.goto(`${opt['base-url']}/#/tasks/new-script`);
  await page.getByTestId('script-editor').waitFor();
  await page.fill('#name', 'orders-script');
  await page.getByTestId('script-editor').fill('source:\n  datasource: [maria-src\n');
  await page
    .getByTestId('script-messages')
    .getByText(/^Line \d+:/)
    .first()
    .waitFor();
  await shot('script-editor-syntax');
  await page
    .getByTestId('script-editor')
    .fill(
      `source:\n  datasource: ${SOURCE_ALIAS}\n  table: ${opt['source-db']}.orders\nsink:\n  datasource: ${TARGET_ALIAS}\n  table: public.orders\n  writeMode: sideways\nsettings:\n  channels: 0\n`,
    );
  await page.getByTestId('script-save').click();
  await page.getByTestId('script-messages').getByText('settings.channels').waitFor();
  await shot('script-editor-problems');

  step('batch create: many tables at once');
  await page.goto(`${opt['base-url']}/#/tasks`);
  await page.getByTestId('task-create').locator('button').last().click();
  await page.getByRole('menuitem', { name: 'Batch create' }).click();
  await pick('sourceDatasourceId', `${SOURCE_ALIAS} (mysql)`);
  await pick('schema', opt['source-db']);
  await page.getByRole('button', { name: /select all/ }).click();
  await pick('targetDatasourceId', `${TARGET_ALIAS} (postgresql)`);
  await page.getByRole('button', { name: 'Create tasks (1)' }).waitFor();
  await stillness(); // the list folds away
  await shot('batch-create');
  await page.getByRole('button', { name: 'Cancel' }).click();

  step('task list: offline and online again, in Chinese too');
  await page.goto(`${opt['base-url']}/#/tasks`);
  const row = page.getByRole('row', { name: new RegExp(TASK) });
  await row.getByText('Online', { exact: true }).waitFor(); // put online after the second save
  await row.getByRole('button', { name: 'Offline' }).click();
  await row.getByText('Offline', { exact: true }).waitFor();
  await row.getByTestId(`task-online-${TASK}`).click();
  await row.getByText('Online', { exact: true }).waitFor();
  await shot('tasks');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Language' }).hover();
  await page.getByRole('menuitem', { name: '简体中文' }).click();
  await page.locator('.ant-layout-sider').getByText('同步任务').waitFor();
  await page.reload();
  await page.getByRole('columnheader', { name: '任务名称' }).waitFor(); // remembered across a reload
  await row.getByText('每周一、三 02:00').waitFor(); // the schedule's summary in Chinese
  await page.getByTestId(`folder-${FOLDER}`).hover();
  await page.getByRole('tooltip').filter({ hasText: FOLDER_DESCRIPTION }).waitFor();
  await shot('tasks-zh');
  await page.getByRole('link', { name: TASK }).click();
  await page.getByRole('tab', { name: '调度' }).click();
  await page.getByTestId('schedule-preview-cron').waitFor();
  await page.getByTestId('schedule-preview').getByText('每周一、三 02:00').waitFor();
  await shot('task-schedule-zh');
  step('data source form in Chinese: the labels and help of its options, from the server');
  await page.locator('.ant-layout-sider .ant-menu-item', { hasText: '数据源' }).click();
  await openDrawer(page.getByRole('row', { name: new RegExp(SOURCE_ALIAS) }).getByRole('button', { name: '修改' }));
  await page.locator('.ant-drawer').getByText('JDBC URL (url)').waitFor();
  await page
    .locator('.ant-drawer')
    .getByText(/完整的 JDBC URL/)
    .waitFor();
  await shot('datasource-zh');
  await closeDrawer();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '语言' }).hover();
  await page.getByRole('menuitem', { name: 'English' }).click();

  step('history: runs and instances');
  await nav('History');
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('row', { name: /count-target/ }).waitFor();
  await shot('history-runs');
  await page.getByRole('tab', { name: 'Instances' }).click();
  await shot('history-instances');
  await page.goto(`${opt['base-url']}/#/runs/${secondRun}`);
  await page.getByRole('tab', { name: /Splits/ }).click();
  await shot('run-splits');

  step('sync status: each data source with its tasks and their latest run');
  await nav('Sync status');
  const sourceRow = page.getByRole('row', { name: new RegExp(SOURCE_ALIAS) });
  await sourceRow.locator('.ant-tag[data-status]').waitFor();
  await sourceRow.getByRole('button').first().click();
  await page.getByRole('link', { name: TASK, exact: true }).first().waitFor();
  await shot('sync-status');

  step('dependencies: the scheduled task, its instances a click away');
  await nav('Dependencies');
  await page.getByTestId('dependency-nodes').getByRole('button', { name: TASK }).click();
  await page.locator('.ant-drawer').getByRole('link', { name: TASK }).waitFor();
  await shot('dependencies');
  await closeDrawer();

  step('alerts: a rule made in the form, then the node page');
  await nav('Alerts');
  await page.getByRole('button', { name: 'New rule' }).click();
  await page.getByRole('dialog').locator('#name').fill('nodes down');
  await pick('kind', 'Node down');
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'nodes down', exact: true }).waitFor();
  await shot('alerts');
  await nav('Nodes');
  await page.getByTestId('node-select').waitFor();
  await shot('nodes');

  step('resource groups: a new group without nodes, the default group tested against a data source, in English and Chinese');
  await nav('Resource groups');
  await page.getByTestId('group-create').click();
  await page.getByRole('dialog').locator('#name').fill('ui-etl');
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'ui-etl', exact: true }).click();
  await page.getByText('No node has joined this group: start one with ferry server --worker --group ui-etl.').waitFor();
  await page.getByRole('cell', { name: 'default', exact: true }).click();
  await page.getByTestId('group-nodes').getByText('Alive').first().waitFor(); // this server, heartbeating
  const groupSource = (await api('GET', `/api/datasources?q=${SOURCE_ALIAS}`)).json.items.find((d) => d.alias === SOURCE_ALIAS);
  await page.getByTestId('group-test-default').click();
  await pick('group-test-datasource', `${groupSource.alias} (${groupSource.connector})`);
  await page.getByRole('dialog').getByRole('button', { name: 'Test' }).click();
  await page.getByText(new RegExp(`^Node .+ reached ${SOURCE_ALIAS}\\.$`)).waitFor();
  await shot('groups-connectivity');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Language' }).hover();
  await page.getByRole('menuitem', { name: '简体中文' }).click();
  await page.locator('.ant-layout-sider').getByText('资源组').waitFor();
  await page.getByRole('columnheader', { name: '类型' }).waitFor();
  await page.getByTestId('group-nodes').getByText('在线').first().waitFor();
  await shot('groups-zh');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '语言' }).hover();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await page.locator('.ant-layout-sider').getByText('Resource groups').waitFor();

  step('shared mining: the switch on the data source, then the mining run of a cdc task, in English and Chinese');
  await nav('Data sources');
  await openDrawer(page.getByRole('row', { name: new RegExp(SOURCE_ALIAS) }).getByRole('button', { name: 'Edit' }));
  await page.getByTestId('ds-shared-mining-switch').click();
  await page.getByText('The store is chosen once').waitFor();
  await pick('sharedMining_logDatasource', TARGET_ALIAS);
  await page.fill('#sharedMining_logTable', 'mining_ui');
  await shot('datasource-shared-mining');
  await page.getByTestId('ds-save').click();
  await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
  const mariaSources = await api('GET', `/api/datasources?q=${SOURCE_ALIAS}`);
  const mariaSource = mariaSources.json.items.find((d) => d.alias === SOURCE_ALIAS);
  check(
    mariaSource.sharedMining?.enabled === true && mariaSource.sharedMining.logDatasource === TARGET_ALIAS,
    'the switch is saved with its store',
  );
  const pgTarget = (await api('GET', `/api/datasources?q=${TARGET_ALIAS}`)).json.items.find((d) => d.alias === TARGET_ALIAS);
  // A wizard cdc task of that source reads its mining log by default; its start makes the mining
  // run (the service MariaDB has no binlog: the run may fail, and the page says why).
  const cdcTask = await api('POST', '/api/tasks', {
    name: 'orders-cdc',
    mode: 'wizard',
    wizard: {
      source: { datasourceId: mariaSource.id, table: `${opt['source-db']}.orders` },
      target: { datasourceId: pgTarget.id, table: 'public.orders_cdc', options: { createTable: true } },
      syncMode: 'incremental',
    },
  });
  check(
    cdcTask.status === 201 && cdcTask.json.script.includes('sharedMining: true'),
    `a cdc task with shared mining: ${JSON.stringify(cdcTask.json)}`,
  );
  const cdcRun = await api('POST', `/api/tasks/${cdcTask.json.id}/runs`);
  check(cdcRun.status === 202, `its run starts: ${JSON.stringify(cdcRun.json)}`);
  await nav('Shared mining');
  const miningRow = page.getByRole('row', { name: new RegExp(`${SOURCE_ALIAS}-mining`) });
  await miningRow.waitFor();
  await miningRow.getByText(`${TARGET_ALIAS} mining_ui`).waitFor();
  await miningRow.click();
  await page.getByText('Events per second').waitFor();
  await page.getByText('Oldest task offset').waitFor();
  await shot('mining');
  // Its table panel: the task's table with the task reading it; a stop asks for a confirmation
  // that names that task (the mining run may have failed: the stop then holds from its next start).
  const miningTable = `${opt['source-db']}.orders`;
  const tablesPanel = page.getByTestId('mining-tables');
  const tableRow = tablesPanel.getByRole('row', { name: new RegExp(miningTable.replace('.', '\\.')) });
  await tableRow.getByText('orders-cdc').waitFor();
  await tableRow.getByRole('button', { name: 'Stop mining' }).click();
  const stopDialog = page.getByRole('dialog').filter({ hasText: `Stop mining ${miningTable}?` });
  await stopDialog.getByText('These tasks read it').waitFor();
  await stopDialog.getByText('orders-cdc').waitFor();
  await shot('mining-table-stop');
  await stopDialog.getByRole('button', { name: 'Confirm' }).click();
  await stopDialog.waitFor({ state: 'detached' });
  await tableRow.getByText(/^(Stopping|Stopped)$/).waitFor();
  await tablesPanel.getByRole('tab', { name: /^Stopped \(\d\)$/ }).click();
  await tablesPanel.getByRole('tab', { name: 'Tables' }).click();
  await shot('mining-tables');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Language' }).hover();
  await page.getByRole('menuitem', { name: '简体中文' }).click();
  await page.locator('.ant-layout-sider').getByText('共享挖掘').waitFor();
  await page.getByRole('columnheader', { name: '挖掘日志' }).waitFor();
  await page.getByRole('columnheader', { name: '任务读取/秒' }).waitFor();
  await page.getByText('每秒事件数').waitFor();
  await tablesPanel.getByRole('tab', { name: '挖掘表' }).waitFor();
  await tablesPanel.getByRole('columnheader', { name: '读取它的任务' }).waitFor();
  await tableRow.getByText(/^(停止中|已停止)$/).waitFor();
  await tablesPanel.getByRole('tab', { name: /^已停止（\d）$/ }).click();
  await tablesPanel.getByRole('columnheader', { name: '停止位置' }).waitFor();
  await shot('mining-zh');
  await tablesPanel.getByRole('tab', { name: '挖掘表' }).click();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '语言' }).hover();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await page.locator('.ant-layout-sider').getByText('Shared mining').waitFor();
  // Nothing keeps running after the test: the task's run and the mining run stop.
  await api('POST', `/api/runs/${cdcRun.json.id}/stop`);
  for (const m of (await api('GET', '/api/mining')).json) {
    if (m.state === 'RUNNING') await api('POST', `/api/mining/${m.id}/stop`);
  }

  step('users: a viewer, who sees no button that changes anything');
  await nav('Users');
  await page.getByRole('cell', { name: opt.user, exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'New user' }).click();
  await page.fill('#username', 'watcher');
  await page.fill('#password', 'watcher-password');
  await pick('role', 'viewer');
  await page.getByRole('button', { name: 'OK' }).click();
  await page.getByRole('cell', { name: 'watcher', exact: true }).waitFor();
  await shot('users');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.fill('#username', 'watcher');
  await page.fill('#password', 'watcher-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await nav('Tasks');
  await page.getByRole('link', { name: TASK }).waitFor();
  check((await page.getByTestId('task-create').count()) === 0, 'a viewer cannot create tasks');
  check((await page.getByRole('button', { name: 'Run' }).count()) === 0, 'a viewer cannot run tasks');
  check((await page.locator('.ant-layout-sider').getByText('Users').count()) === 0, 'a viewer does not manage users');
  check((await page.getByTestId(`task-online-${TASK}`).count()) === 0, 'a viewer cannot put tasks online');
  await shot('tasks-viewer');
  await page.goto(`${opt['base-url']}/#/tasks/new`);
  await page.getByTestId('no-permission').getByText('No permission').waitFor();
  await shot('new-task-viewer');
  await page.getByTestId('no-permission-back').click();
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.locator('#username').waitFor();

  const unexpected = consoleErrors.filter((e) => !/status of 40[01]/.test(e));
  check(unexpected.length === 0, `no errors in the browser console: ${unexpected.join('\n')}`);
  console.log(`ok: ${shotCount} screenshots in ${SHOTS}`);
} catch (e) {
  console.error(e);
  await shot('failure').catch(() => {});
  if (consoleErrors.length) console.error(`browser console:\n${consoleErrors.join('\n')}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
