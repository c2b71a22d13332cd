// The public's journey through the register: browse it, filter by committee and type, open a
// person, download the CSV and the JSON. Run twice: with JavaScript (plus the accessibility and
// keyboard checks and screenshots) and with JavaScript disabled, to show the pages need none.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { checkAccessibility, checkKeyboard, follow, newPage, screenshot, useProbity, visit } from './support.mjs';

const env = useProbity();
const committee = 'Primary Care Commissioning Committee';

async function publicJourney(page, { checks, zoomed = false }) {
  // Zoomed, each page is checked at its own width (640 px): the journey at 1280 px has checked the
  // same pages at 320 px.
  const widths = zoomed ? [page.viewportSize().width] : undefined;
  const check = async (label) => { if (checks) await checkAccessibility(page, label, { widths }); };

  // Browse: the register lists entries and says how many.
  const first = await page.goto('/register');
  assert.equal(first.status(), 200);
  await check('register');
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Register of interests' }).waitFor());
  const allCount = await page.locator('#results-count').innerText();
  assert.match(allCount, /^\d+ entries, showing 1 to \d+$/);
  if (checks) {
    if (!zoomed) await screenshot(page, 'register');
    await checkKeyboard(page, 'form.probity-filter', 'register filter form');
  }
  // What the register's rows leave out is in each entry's "More", which opens without JavaScript.
  const more = page.locator('table tbody tr details').first();
  assert.equal(await more.getByText('Action taken').isVisible(), false, 'the details start closed');
  await more.locator('summary').click();
  await assert.doesNotReject(more.getByText('Action taken').waitFor(), 'opening "More" shows the action taken');
  await assert.doesNotReject(more.getByRole('link', { name: /^History/ }).waitFor(), 'and a link to the history');

  // Filter by committee and type of interest, with the form's own submit button.
  await page.getByLabel('Committee', { exact: true }).selectOption({ label: committee });
  await page.getByLabel('Type of interest', { exact: true }).selectOption({ label: 'Financial' });
  await follow(page, page.getByRole('button', { name: 'Apply filters' }));
  const url = new URL(page.url());
  assert.ok(url.searchParams.get('committee'), 'the committee is in the address, so the view can be shared');
  assert.equal(url.searchParams.get('category'), 'financial');
  await check('register filtered by committee and type');
  const filteredCount = await page.locator('#results-count').innerText();
  const total = Number(filteredCount.match(/^(\d+) entr/)?.[1]);
  assert.ok(total > 0 && total < Number(allCount.match(/^\d+/)[0]), `the filter narrows the register: "${filteredCount}"`);
  const types = await page.locator('table tbody tr td.probity-register-type').allInnerTexts();
  assert.ok(types.length > 0);
  for (const type of types) assert.match(type, /Financial$/, 'every row shown is a financial interest');
  assert.equal(await page.getByLabel('Committee', { exact: true }).locator('option:checked').innerText(), committee,
               'the filter form keeps the chosen committee');
  // Sort by a date the rows no longer show as a column, from the same form; the filters stay.
  await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Date declared' });
  await page.getByLabel('Order', { exact: true }).selectOption({ label: 'Z to A, latest first' });
  await follow(page, page.getByRole('button', { name: 'Apply filters' }));
  const sorted = new URL(page.url());
  assert.equal(sorted.searchParams.get('sort'), 'declared');
  assert.equal(sorted.searchParams.get('order'), 'desc');
  assert.equal(sorted.searchParams.get('category'), 'financial', 'sorting keeps the filters');
  assert.equal(await page.locator('#results-count').innerText(), filteredCount, 'sorting shows the same entries');

  // Download the filtered entries as CSV.
  const csvLink = page.getByRole('link', { name: 'Download these entries as CSV' });
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  assert.equal(download.suggestedFilename(), 'register-of-interests.csv');
  const csv = await readFile(await download.path(), 'utf8');
  const firstName = (await page.locator('table tbody tr td:first-child a').first().innerText()).trim();
  assert.ok(csv.includes(firstName), `the CSV holds ${firstName}'s entry`);
  assert.ok(!/Non-financial/i.test(csv), 'the CSV holds only the filtered (financial) entries');

  // The same entries as JSON.
  const [jsonResponse] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/register'),
    page.getByRole('link', { name: 'These entries as JSON' }).click(),
  ]);
  assert.equal(jsonResponse.status(), 200);
  assert.match(jsonResponse.headers()['content-type'], /^application\/json/);
  const doc = await jsonResponse.json();
  assert.equal(doc.total, total, 'the JSON has as many entries as the page said');
  await page.goBack();

  // Open a person from the filtered register.
  await follow(page, page.locator('table tbody tr td:first-child a').first());
  assert.match(page.url(), /\/people\/\d+$/);
  await check('person');
  assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), firstName);
  await assert.doesNotReject(page.getByRole('link', { name: committee }).first().waitFor(),
                             'the person page lists their committee membership');
  await assert.doesNotReject(page.getByRole('heading', { name: 'Interests', exact: true }).waitFor());
  if (checks && !zoomed) await screenshot(page, 'person');
}

describe('the public browses the register', { timeout: 240_000 }, () => {
  test('with JavaScript: filter, open a person, download CSV and JSON; every page passes axe', async () => {
    const page = await newPage(env);
    await publicJourney(page, { checks: true });
    // The other public pages linked from every page's header.
    for (const path of ['/', '/committees', '/meetings', '/gifts']) await visit(page, path);
    await checkKeyboard(page, 'form.probity-filter', 'gifts filter form');
    // The pages every public service has, from every page's footer, and an error page.
    for (const name of ['Accessibility statement', 'Privacy notice', 'Contact us', 'What to declare']) {
      await follow(page, page.getByRole('contentinfo').getByRole('link', { name }));
      await checkAccessibility(page, name);
    }
    await assert.doesNotReject(page.getByRole('heading', { name: 'Hospitality' }).waitFor());
    await assert.doesNotReject(page.getByText('Under £25: may be accepted and need not be declared').waitFor(),
                               'the guide gives the configured hospitality threshold');
    await visit(page, '/no-such-page', 'page not found', 404);
    await page.goto('/committees');
    await follow(page, page.getByRole('link', { name: committee }).first());
    await checkAccessibility(page, 'committee');
    await page.goto('/register');
    const more = page.locator('table tbody tr details').first();
    await more.locator('summary').click();
    await follow(page, more.getByRole('link', { name: /^History/ }));
    await checkAccessibility(page, 'entry history');
    await page.context().close();
  });

  test('at 200% zoom (a 640 px wide viewport): the same journey, every page passes axe and fits', async () => {
    const page = await newPage(env, { viewport: { width: 640, height: 450 } });
    await publicJourney(page, { checks: true, zoomed: true });
    await page.context().close();
  });

  test('the public pages reflow to 320px without scrolling sideways (WCAG 1.4.10)', async () => {
    const page = await newPage(env, { viewport: { width: 320, height: 640 } });
    // A committee from the list, and a person from that committee's members.
    await page.goto('/committees');
    const committee = await page.locator('main a[href^="/committees/"]').first().getAttribute('href');
    await page.goto(committee);
    const person = await page.locator('main a[href^="/people/"]').first().getAttribute('href');
    for (const path of ['/register', '/gifts', '/committees', committee, person]) {
      await page.goto(path);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, `${path} is no wider than the screen`);
    }
    await page.context().close();
  });

  test('the checks themselves fail, naming what is wrong: an axe violation, a page too wide, a 404, a CSP refusal', async () => {
    const page = await newPage(env);
    await page.goto('/');
    // The page's own web font request fails by design (its host does not resolve) and is allowed.
    await checkAccessibility(page, 'the home page as served');
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/favicon.ico';
      img.id = 'image-without-alt';
      document.querySelector('main').append(img);
    });
    await assert.rejects(checkAccessibility(page, 'an image without alt text'),
                         (e) => /image-alt/.test(e.message) && /#image-without-alt/.test(e.message));
    await page.goto('/');
    await page.evaluate(() => {
      const wide = document.createElement('div');
      wide.style.width = '2000px';
      wide.textContent = 'too wide';
      document.querySelector('main').append(wide);
    });
    await assert.rejects(checkAccessibility(page, 'a page wider than the screen'), /wider than the viewport/);
    await page.goto('/');
    await page.evaluate(() => fetch('/no-such-file.css'));
    await assert.rejects(checkAccessibility(page, 'a request answered 404'), /404 for http:\S+\/no-such-file\.css/);
    await page.goto('/');
    await page.evaluate(() => fetch('https://unreachable.example/').catch(() => {}));
    await assert.rejects(checkAccessibility(page, 'a request the Content-Security-Policy refuses'),
                         /console error: .*unreachable\.example.*Content Security Policy/);
    await page.context().close();
  });

  test('without JavaScript: the same journey works', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    await publicJourney(page, { checks: false });
    assert.equal(await page.evaluate(() => document.documentElement.className.includes('js-enabled')), false,
                 'scripts really were off');
    await page.context().close();
  });
});
