// Shared helpers for the browser tests: a Probity server of the test's own (fresh database, free
// port), Debian's Chromium driven by playwright-core, and the accessibility and keyboard checks
// every journey applies to the pages it visits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshotDir = path.resolve(process.env.PROBITY_SCREENSHOTS ?? path.join(sourceDir, 'build/screenshots'));
export const demoPassword = 'northbrook-demo-only';

/// Starts `probity serve` on a free port with a fresh database holding the demo data. Resolves to
/// { url, stdout, stop() } once the server prints its "serving" line; rejects if it exits first.
/// `config`: settings that replace those of config/probity.json for this server only (e.g.
/// { review_required: true }), written to a config file in the server's temporary directory.
export async function startProbity({ config } = {}) {
  const bin = process.env.PROBITY_BIN;
  assert.ok(bin, 'set PROBITY_BIN to the probity binary to test (ctest does this)');
  const dir = await mkdtemp(path.join(tmpdir(), 'probity-browser-'));
  // Passwords are hashed at a test cost, as the server tests hash them: at the production cost
  // (scrypt N=2^15, p=3) each server's start hashed the demo accounts' passwords and a decoy, about
  // 2.4 s of CPU, and each sign-in took 0.3 s more. The production cost is tested by the model's
  // password tests and the start-up benchmark.
  const defaults = JSON.parse(await readFile(path.join(sourceDir, 'config/probity.json'), 'utf8'));
  const testCost = { accounts: { scrypt: { log2_n: 10, r: 8, p: 1 } } };
  const configFile = path.join(dir, 'probity.json');
  await writeFile(configFile, JSON.stringify({ ...defaults, ...testCost, ...config }, null, 2));
  const child = spawn(bin, ['--config', configFile, '--database', path.join(dir, 'probity.db'), 'serve', '--port', '0', '--demo-if-empty'],
                      { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // Everything the server prints (its log: a line per request and per event) is also appended to
  // PROBITY_TEST_LOG when set (ctest sets it), which tests/log_secrets.py reads after the suite.
  const log = process.env.PROBITY_TEST_LOG ? createWriteStream(process.env.PROBITY_TEST_LOG, { flags: 'a' }) : null;
  child.stderr.on('data', (d) => { stderr += d; log?.write(d); });
  child.stdout.on('data', (d) => { log?.write(d); });
  child.on('close', () => log?.end());
  const url = await new Promise((resolve, reject) => {
    // Waits for the line the server prints once it listens: no sleeping, no polling.
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/Probity is serving .* at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`probity exited (${code}) before serving:\n${stdout}\n${stderr}`)));
    child.on('error', reject);
  });
  return {
    url,
    get stdout() { return stdout; },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The host nhsuk-frontend's stylesheet loads its web font from.
const fontHost = 'assets.nhs.uk';

/// Launches Debian's Chromium headless. playwright-core gives every launch a new, empty profile
/// directory (its own --user-data-dir) and removes it on close; it never downloads a browser.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PROBITY_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Without the background-networking flags Chromium keeps trying to reach Google's hosts,
    // which this network refuses. The host of the NHS web font does not resolve (see newPage).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', `--host-resolver-rules=MAP ${fontHost} ~NOTFOUND`],
  });
}

/// Starts a server and a browser for the test file that calls it, and stops both after its tests.
/// `options` go to startProbity (e.g. { config: { review_required: true } }).
export function useProbity(options = {}) {
  const env = {};
  before(async () => {
    env.server = await startProbity(options);
    env.browser = await launchBrowser();
    env.url = env.server.url;
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/// A new page in a fresh context (own cookies). Fails the test on any page error or CSP report.
export async function newPage(env, options = {}) {
  const context = await env.browser.newContext({ baseURL: env.url, acceptDownloads: true, ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // nhsuk-frontend's stylesheet loads the Frutiger web font from assets.nhs.uk, which the
  // Content-Security-Policy allows (font-src) and this network cannot reach. The browser resolves
  // that host to nothing (launchBrowser), so a font request fails at once with
  // ERR_NAME_NOT_RESOLVED, the one failure allowed below, and the page falls back to Arial, as
  // without the font. A CSP refusal of the font is a console error and ERR_BLOCKED_BY_CSP, and
  // fails the test. (Answering the font with page.route instead made every request of every page
  // a round trip through this process, and turns off the browser's HTTP cache: governance's
  // journey alone made 172 such round trips.)
  page.on('console', (m) => {
    // "Failed to load resource" is logged for a page answered 4xx (a form with errors, the error
    // pages): failed resources are caught by the response check below.
    const text = m.text();
    if (m.type() === 'error' && !text.startsWith('Failed to load resource')) problems.push(`console error: ${text}`);
  });
  // Any stylesheet, script or image the page asks for must load.
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED: a request cut short because the test moved on to the next page.
    const error = r.failure()?.errorText ?? '';
    if (error === 'net::ERR_ABORTED') return;
    if (error === 'net::ERR_NAME_NOT_RESOLVED' && r.url().startsWith(`https://${fontHost}/fonts/`)) return;
    problems.push(`request failed: ${r.url()} ${error}`);
  });
  page.problems = problems;
  return page;
}

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary.replace(/\n/g, '\n        ')}`);
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
  }).join('\n');
}

// axe-core's own script, put into each page once (AxeBuilder would put it in again before every
// run, and every page is checked at two widths).
// The axe-core that @axe-core/playwright itself depends on.
const axePlaywright = createRequire(import.meta.url).resolve('@axe-core/playwright');
const axeSource = await readFile(createRequire(axePlaywright).resolve('axe-core/axe.min.js'), 'utf8');

async function runAxe(page) {
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.evaluate(axeSource);
  // Only violations are wanted; skipping the detail of passing rules makes each run much quicker.
  // The same rules run without working out each node's CSS selector (about a fifth of a run on
  // pages that pass); only a page with violations is checked again with them, to name the nodes.
  const run = (described) => page.evaluate(([tags, withSelectors]) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
    ...(withSelectors ? {} : { selectors: false, ancestry: false, xpath: false, elementRef: false }),
  }), [wcagTags, described]);
  const results = await run(false);
  return results.violations.length ? run(true) : results;
}

/// The narrowest screen every page must fit without scrolling sideways (WCAG 1.4.10 reflow: 320
/// CSS px is a 1280 px screen at 400% zoom).
export const narrowWidth = 320;

/// Runs axe-core's WCAG 2.2 A and AA rules on the page at its own viewport width and at 320 CSS px
/// (or at each of `widths`), and checks at each that the page is no wider than the viewport (no
/// scrolling sideways); fails on any violation, and on any script or console error the page has
/// logged. The viewport is put back afterwards.
export async function checkAccessibility(page, label, { widths } = {}) {
  const original = page.viewportSize() ?? { width: 1280, height: 720 };
  const checked = [...new Set(widths ?? [original.width, narrowWidth])];
  // The page's own width first: no resize is needed for it.
  checked.sort((a, b) => (b === original.width) - (a === original.width));
  try {
    for (const width of checked) {
      if (width !== page.viewportSize()?.width) await page.setViewportSize({ width, height: original.height });
      const where = `${label} at ${width} px (${page.url()})`;
      const results = await runAxe(page);
      if (results.violations.length) {
        assert.fail(`axe found ${results.violations.length} WCAG violation(s) on ${where}:\n${describeViolations(results.violations)}`);
      }
      const pageWidth = await page.evaluate(() => document.scrollingElement.scrollWidth);
      assert.ok(pageWidth <= width, `${where}: the page is ${pageWidth} px wide, wider than the viewport`);
    }
  } finally {
    if (page.viewportSize()?.width !== original.width) await page.setViewportSize(original);
  }
  const problems = page.problems?.splice(0) ?? [];
  assert.deepEqual(problems, [], `browser reported problems on or before ${label} (${page.url()})`);
}

/// Goes to a path, checks the response is the expected status, and checks accessibility.
export async function visit(page, pathname, label, status = 200) {
  const response = await page.goto(pathname);
  assert.equal(response.status(), status, `GET ${pathname}`);
  await checkAccessibility(page, label ?? pathname);
  return response;
}

/// Saves a PNG of the top of the page (1280 by up to 1400 pixels) to build/screenshots/NAME.png.
export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  const height = Math.min(1400, await page.evaluate(() => document.documentElement.scrollHeight));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true,
                          clip: { x: 0, y: 0, width: 1280, height } });
}

// The elements Tab can stop on, where they are not hidden, disabled or taken out of the order.
const tabbable = 'input, select, textarea, button, a[href]';

// What a keyboard user reaches with Tab inside a form: every field and button in document order,
// except that a radio group is one stop (its checked radio, or its first).
async function expectedTabStops(form) {
  return form.evaluate((f, selector) => {
    const stops = [];
    const groups = new Set();
    for (const el of f.querySelectorAll(selector)) {
      if (el.type === 'hidden' || el.disabled || el.tabIndex < 0) continue;
      if (el.type === 'radio') {
        if (groups.has(el.name)) continue;
        groups.add(el.name);
        const checked = f.querySelector(`input[type=radio][name="${el.name}"]:checked`);
        stops.push((checked ?? el).id || el.name);
        continue;
      }
      stops.push(el.id || el.name || el.textContent.trim());
    }
    return stops;
  }, tabbable);
}

// Where focus is now: whether it is inside the form, the focused element's id (or name, or text),
// and whether it shows a focus indicator: an outline or box-shadow on it, or for a radio or
// checkbox (visually replaced by the NHS design system) on its label's ::before or ::after.
function focusState(form) {
  const el = document.activeElement;
  const visible = (style) => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  let shown;
  if (el.type === 'radio' || el.type === 'checkbox') {
    const label = document.querySelector(`label[for="${el.id}"]`);
    shown = Boolean(label) && (visible(getComputedStyle(label, '::before')) || visible(getComputedStyle(label, '::after')));
  } else {
    shown = visible(getComputedStyle(el));
  }
  return { inForm: form.contains(el), id: el.id || el.name || el.textContent.trim(), shown };
}

/// Checks keyboard use of a form: from the element before it, Tab reaches the form's fields and
/// buttons in document order with nothing skipped, and each shows a visible focus indicator.
export async function checkKeyboard(page, formSelector, label) {
  const form = page.locator(formSelector);
  const expected = await expectedTabStops(form);
  assert.ok(expected.length > 0, `${label}: the form has fields`);
  // Start just before the form: focus the last element before it that Tab can reach (the page's
  // first such element, the skip link, when none comes before the form), which also moves the
  // browser's sequential focus starting point there. Tabbing from the top of the page through the
  // header, unasserted, only reached the same first stop of the form, with one key press and one
  // look at the page per link (governance's journey: 218 presses and 225 looks; 49 and 63 now).
  await form.evaluate((f, selector) => {
    const all = [...document.querySelectorAll(selector)]
      .filter((el) => el.type !== 'hidden' && !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0);
    const before = all.filter((el) => f.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING && !f.contains(el));
    (before.at(-1) ?? all[0]).focus();
  }, tabbable);
  const reached = [];
  for (let presses = 0; presses < 200 && reached.length < expected.length; presses++) {
    await page.keyboard.press('Tab');
    const now = await form.evaluate(focusState);
    if (!now.inForm) {
      if (reached.length) break;   // left the form before reaching every stop
      continue;
    }
    reached.push(now.id);
    assert.ok(now.shown, `${label}: focus on "${now.id}" is not visible (no outline or box-shadow)`);
  }
  assert.deepEqual(reached, expected, `${label}: Tab order through the form`);
}

/// Checks that the error summary holds focus, as the NHS design system's pattern requires, so a
/// screen reader user hears the errors first.
export async function checkErrorSummaryFocused(page, label) {
  const summary = page.locator('.nhsuk-error-summary');
  await assert.doesNotReject(summary.waitFor(), `${label}: an error summary is shown`);
  const focused = await page.waitForFunction(
    () => document.activeElement?.classList.contains('nhsuk-error-summary'), null, { timeout: 2000 })
    .then(() => true, () => false);
  assert.ok(focused, `${label}: the error summary has focus after the failed submit`);
}

/// Fails with the page's error summary if it shows one (after a submit that should succeed).
export async function assertNoErrors(page, label) {
  const summary = page.locator('.nhsuk-error-summary');
  if (await summary.count()) assert.fail(`${label}: the page shows errors: ${await summary.innerText()}`);
}

/// Clicks something that loads a new page (a link, a form's button) and waits for that page to
/// load, so nothing is checked against the page being left.
export async function follow(page, locator) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

/// Signs in through the sign-in form.
export async function signIn(page, email, password = demoPassword) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await follow(page, page.getByRole('button', { name: 'Sign in' }));
}
