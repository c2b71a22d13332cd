// Finding meetings and reading the brief at a glance, as each user would: the public from the home
// page, a member from /my, a chair from the header; axe at 1280 and 320 CSS px on every meeting
// page, none wider than the viewport; the brief's summary on the first screen at 1280 by 900; the
// brief printed to A4 by Chromium (page count and the summary on page 1) and downloaded as a PDF
// of at most 4 pages; the agenda published for the public, with nothing else.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { assertNoErrors, checkAccessibility, follow, newPage, screenshot, signIn, useProbity } from './support.mjs';

const env = useProbity();
const widths = [1280, 320];
const pccc = 'Primary Care Commissioning Committee (meeting in public)';
const governingBody = 'Governing Body (meeting in public)';
const havePoppler = existsSync('/usr/bin/pdfinfo') && existsSync('/usr/bin/pdftotext');

// Pages and the text of page 1 of a PDF, with poppler-utils (scripts/install-deps.sh installs it).
async function readPdf(bytes) {
  const dir = await mkdtemp(path.join(tmpdir(), 'probity-pdf-'));
  try {
    const file = path.join(dir, 'brief.pdf');
    await writeFile(file, bytes);
    const info = execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(info.match(/^Pages:\s+(\d+)/m)?.[1]);
    const size = info.match(/^Page size:\s+(.*)$/m)?.[1] ?? '';
    const first = execFileSync('/usr/bin/pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], { encoding: 'utf8' });
    const all = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    return { pages, size, first, all };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('finding meetings', { timeout: 240_000 }, () => {
  test('a member of the public finds a published meeting from the home page in two clicks', async () => {
    const page = await newPage(env);
    await page.goto('/');
    await follow(page, page.locator('.nhsuk-header__navigation').getByRole('link', { name: 'Meetings', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/meetings');
    await checkAccessibility(page, 'public list of meetings', { widths });
    assert.equal(await page.getByRole('link', { name: pccc, exact: true }).count(), 0, 'an unpublished meeting is not listed');
    await follow(page, page.getByRole('link', { name: governingBody, exact: true }));
    assert.match(new URL(page.url()).pathname, /^\/meetings\/\d+$/);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Governing Body \(meeting in public\)/);
    await checkAccessibility(page, 'a published meeting', { widths });

    // Each committee's page links to its meetings.
    await page.goto('/committees');
    await follow(page, page.getByRole('link', { name: 'Governing Body', exact: true }).first());
    await follow(page, page.getByRole('link', { name: /^Meetings of the Governing Body/ }));
    await checkAccessibility(page, "a committee's meetings", { widths });
    assert.equal(await page.getByRole('link', { name: governingBody, exact: true }).count(), 1);
    await page.context().close();
  });

  test('a member finds their meetings and the items they are flagged on from /my', async () => {
    const page = await newPage(env);
    await signIn(page, 'hassan@northbrook.example');
    await page.goto('/my');
    await follow(page, page.getByRole('link', { name: 'My meetings', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/my/meetings');
    await checkAccessibility(page, 'my meetings', { widths });
    const card = page.locator('.nhsuk-card', { hasText: pccc });
    assert.match(await card.innerText(), /Proposed merger of Riverside Surgery/);
    assert.match(await card.innerText(), /Leaves the room/);
    assert.equal(await page.locator('.nhsuk-header__navigation').getByRole('link', { name: 'Meetings you manage' }).count(), 0);
    await page.context().close();
  });

  test('a chair reads the summary on the first screen, prints the brief and downloads it', async () => {
    const page = await newPage(env, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'ellison@northbrook.example');
    await page.goto('/');
    await follow(page, page.locator('.nhsuk-header__navigation').getByRole('link', { name: 'Meetings you manage' }));
    assert.equal(new URL(page.url()).pathname, '/meetings/manage');
    await checkAccessibility(page, 'meetings you manage', { widths });
    await follow(page, page.getByRole('link', { name: new RegExp(`^Brief for ${pccc.replace(/[()]/g, '\\$&')}`) }));
    const meetingPath = new URL(page.url()).pathname.replace(/\/brief$/, '');
    // The summary answers "which items, who leaves, is it quorate" before anything else: it is the
    // first table on the page, before the matrix and the detail, and it starts on the first screen
    // at 1280 by 900 (below the header, the title, the links and the apologies callout).
    const summary = page.locator('table.probity-brief-summary');
    const top = await summary.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    console.log(`brief summary table starts ${Math.round(top)} px down at 1280 px wide`);
    assert.ok(top < 900, `the summary table starts ${Math.round(top)} px down: within the first screen (900 px)`);
    assert.equal(await page.locator('main table').first().evaluate((el) => el.classList.contains('probity-brief-summary')), true,
                 'the summary is the first table on the brief');
    assert.ok(await page.locator('#matrix').evaluate((el, t) => el.getBoundingClientRect().top + window.scrollY > t, top),
              'the summary comes before the matrix');
    await checkAccessibility(page, "chair's brief", { widths });
    assert.equal(await summary.locator('tbody tr').count(), 6, 'a row per agenda item');
    const merger = summary.locator('tbody tr', { hasText: 'Proposed merger of Riverside Surgery' });
    assert.match(await merger.innerText(), /Inquorate/);
    assert.match(await merger.locator('td').nth(3).innerText(), /Dr Amir Hassan/, 'Dr Hassan leaves the room for the merger');
    assert.equal(await page.getByText('The chair has sent apologies').count(), 1);
    assert.equal(await page.getByText(/The chair is not present/).count(), 0);
    await screenshot(page, 'chairs-brief');

    await follow(page, page.getByRole('link', { name: 'Print this brief' }));
    await checkAccessibility(page, "chair's brief, print version", { widths });
    const printed = await page.pdf({ format: 'A4' });
    if (havePoppler) {
      const pdf = await readPdf(printed);
      assert.ok(pdf.pages <= 4, `the printed brief is ${pdf.pages} A4 pages; at most 4`);
      assert.match(pdf.size, /\(A4\)/, 'printed on A4');
      assert.match(pdf.first, /At a glance/);
      for (const title of ['Proposed merger of', 'Northbrook Local', 'Primary care finance']) {
        assert.ok(pdf.first.includes(title), `page 1 holds the summary row for "${title}"`);
      }
      assert.match(pdf.first, /Apologies:/);
      assert.match(pdf.all, /Why the item is inquorate/);
    } else {
      assert.fail('pdfinfo and pdftotext (poppler-utils) are needed to count the printed pages; scripts/install-deps.sh installs them');
    }

    await page.goto(`${meetingPath}/brief`);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }),
                                          page.getByRole('link', { name: 'Download this brief as a PDF' }).click()]);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const pdf = await readPdf(bytes);
    // The server prints through Chromium's DevTools protocol as the browser does (the print
    // stylesheet's @page sets the page): at most 4 A4 pages, as the browser's print above.
    assert.match(pdf.size, /\(A4\)/, 'downloaded as A4');
    assert.ok(pdf.pages <= 4, `the downloaded brief is ${pdf.pages} A4 pages; at most 4`);
    assert.match(pdf.first, /At a glance/);

    // The other meeting pages a chair uses, at both widths.
    for (const [suffix, label] of [['/manage', 'manage a meeting'], ['/record', 'record the meeting']]) {
      await page.goto(`${meetingPath}${suffix}`);
      await checkAccessibility(page, label, { widths });
    }
    await page.context().close();
  });

  test('once the chair publishes the agenda, the public sees the meeting coming with its items, and nothing else', async () => {
    const chair = await newPage(env);
    await signIn(chair, 'ellison@northbrook.example');
    await chair.goto('/meetings/manage');
    await follow(chair, chair.getByRole('link', { name: new RegExp(`^manage ${pccc.replace(/[()]/g, '\\$&')}`) }));
    const meetingPath = new URL(chair.url()).pathname.replace(/\/manage$/, '');
    await follow(chair, chair.getByRole('button', { name: 'Publish the agenda' }));
    await assertNoErrors(chair, 'publishing the agenda');
    await chair.goto(`${meetingPath}/manage`);
    await assert.doesNotReject(chair.getByText('The agenda is public').waitFor());
    await checkAccessibility(chair, 'manage a meeting whose agenda is published', { widths });
    await chair.context().close();

    const page = await newPage(env);
    await page.goto('/meetings');
    const upcoming = page.locator('#upcoming + ul > li', { hasText: pccc });
    assert.equal(await upcoming.count(), 1, 'the meeting is listed as upcoming');
    const text = await upcoming.innerText();
    for (const item of ['Declarations of interest', 'Proposed merger of Riverside Surgery and Millbrook Medical Centre',
                        'Northbrook Local Incentive Scheme 2027/28', 'Primary care finance report, month 7']) {
      assert.ok(text.includes(item), `the agenda lists "${item}"`);
    }
    await checkAccessibility(page, 'public list of meetings with an agenda', { widths });
    await follow(page, page.getByRole('link', { name: pccc, exact: true }));
    assert.equal(new URL(page.url()).pathname, meetingPath);
    await checkAccessibility(page, 'a meeting whose agenda is published', { widths });
    const main = await page.locator('main').innerText();
    assert.match(main, /This is the published agenda/);
    // Nothing of the brief, the conflicts or the co-opted member reaches the public.
    for (const secret of ['Dr Amir Hassan', 'Nell Ashworth', 'Leave the room', 'Inquorate', 'Not published', 'financial interest']) {
      assert.ok(!main.includes(secret), `"${secret}" is not on the public page`);
    }
    assert.equal((await page.request.get(`${meetingPath}/minutes`)).status(), 404, 'the minutes are not public');
    const ics = await page.request.get(`${meetingPath}.ics`);
    assert.equal(ics.status(), 200, 'the calendar entry is public');
    await page.context().close();
  });

  test('governance reaches the breaches register from the header', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/');
    await follow(page, page.locator('.nhsuk-header__navigation').getByRole('link', { name: 'Breaches' }));
    assert.equal(new URL(page.url()).pathname, '/meetings/breaches');
    await checkAccessibility(page, 'breaches register', { widths });
    await page.goto('/meetings/manage');
    await checkAccessibility(page, 'meetings governance manages', { widths });
    await page.context().close();
  });
});
