// The demo shows a lay member co-opted from a neighbouring body for one item (quorate with her
// presiding). Governance co-opts her for another item left inquorate by
// conflicts can be decided: the manage page's co-opt form (with a mistake first), the record
// page showing the item quorate with the co-opted member presiding, how the item was handled
// saved for the minutes, and the minutes saying so. axe runs on every page visited, at desktop
// width and at 320 CSS pixels.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, follow, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity();
const mergerTitle = 'Proposed merger of Riverside Surgery and Millbrook Medical Centre';

async function checkBothWidths(page, label) {
  await checkAccessibility(page, label);
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  await checkAccessibility(page, `${label} at 320 px`);
  await page.setViewportSize(wide);
}

async function mergerInCheck(page, meetingPath) {
  const response = await page.request.get(`/api/v1${meetingPath}/conflicts`);
  assert.equal(response.status(), 200);
  return (await response.json()).items.find((item) => item.title === mergerTitle);
}

describe('a co-opted member makes an inquorate item quorate', { timeout: 180_000 }, () => {
  let page;
  let meetingPath;

  test('the merger is inquorate: the chair sent apologies and the vice-chair is conflicted', async () => {
    page = await newPage(env, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'governance@northbrook.example');
    const meetings = await (await page.request.get('/api/v1/meetings')).json();
    const pccc = (meetings.meetings ?? meetings).find((m) => m.committee.name === 'Primary Care Commissioning Committee'
                                                         && m.status === 'planned');
    assert.ok(pccc, 'the demo has a planned committee meeting');
    meetingPath = `/meetings/${pccc.id}`;
    const merger = await mergerInCheck(page, meetingPath);
    assert.equal(merger.quorum.quorate, false);
    assert.ok(merger.quorum.failures.some((f) => f.rule === 'min_lay'), 'no lay member is left to count');
  });

  test('the demo already shows the remedy: Nell Ashworth co-opted for the Local Incentive Scheme, which is quorate', async () => {
    const scheme = (await (await page.request.get(`/api/v1${meetingPath}/conflicts`)).json()).items
      .find((item) => item.title.startsWith('Northbrook Local Incentive Scheme'));
    assert.equal(scheme.quorum.quorate, true, JSON.stringify(scheme.quorum.failures));
    assert.equal(scheme.quorum.presiding.person.name, 'Nell Ashworth');
    assert.equal(scheme.co_opted[0].person.name, 'Nell Ashworth');
    await page.goto(`${meetingPath}/brief`);
    const row = page.locator('table.probity-brief-summary tbody tr', { hasText: 'Northbrook Local Incentive Scheme' });
    assert.match(await row.innerText(), /Quorate[\s\S]*Nell Ashworth/);
    await page.goto(`${meetingPath}/manage#co-opted`);
    assert.match(await page.locator('#co-opted ~ table tr', { hasText: 'Nell Ashworth' }).first().innerText(),
                 /Westbrook Integrated Care Board[\s\S]*Item 4: Northbrook Local Incentive Scheme/);
    await checkBothWidths(page, 'manage the meeting with the demo co-opted member');
  });

  test('governance co-opts a lay member for that item, after a mistake', async () => {
    await page.goto(`${meetingPath}/manage#co-opted`);
    await checkBothWidths(page, 'manage the meeting');
    const form = `form[action="${meetingPath}/co-opted"]`;
    await checkKeyboard(page, form, 'co-opt form');
    const coOpt = page.locator(form);
    await coOpt.getByLabel('Who is co-opted').selectOption({ label: 'Nell Ashworth' });
    await follow(page, coOpt.getByRole('button', { name: 'Co-opt the member' }));
    await checkErrorSummaryFocused(page, 'co-opting without saying where from');
    await checkAccessibility(page, 'manage the meeting with errors');
    assert.equal(await page.locator(form).getByLabel('Who is co-opted').inputValue() !== '', true, 'the person chosen is kept');

    const again = page.locator(form);
    await again.getByLabel('The body they come from').fill('Westbrook Integrated Care Board');
    await again.getByLabel('Voting on').selectOption({ label: `Item 3: ${mergerTitle}` });
    await follow(page, again.getByRole('button', { name: 'Co-opt the member' }));
    await assertNoErrors(page, 'co-opting');
    const row = page.locator('#co-opted ~ table tr', { hasText: 'Nell Ashworth' }).filter({ hasText: 'Item 3' });
    assert.match(await row.innerText(), /Westbrook Integrated Care Board[\s\S]*Item 3/);
    await checkAccessibility(page, 'manage the meeting after co-opting');
  });

  test('the record page shows the item quorate, with the co-opted member presiding', async () => {
    const merger = await mergerInCheck(page, meetingPath);
    assert.equal(merger.quorum.quorate, true, JSON.stringify(merger.quorum.failures));
    assert.equal(merger.quorum.co_opted, 1);
    assert.equal(merger.quorum.presiding.person.name, 'Nell Ashworth');

    await page.goto(`${meetingPath}/record`);
    await checkBothWidths(page, 'record the meeting');
    const section = page.locator('section', { has: page.getByRole('heading', { name: `3. ${mergerTitle}` }) });
    await assert.doesNotReject(section.locator('.nhsuk-tag--green', { hasText: 'Quorate' }).waitFor());
    assert.match(await section.innerText(), /Co-opted for this item: Nell Ashworth \(Westbrook Integrated Care Board\)/);

    await section.getByText('How item 3 was handled').click();
    const outcome = section.locator(`form[action="${meetingPath}/outcomes"]`);
    await outcome.getByLabel('If the item was inquorate, what was done').selectOption({ label: 'Members co-opted' });
    await outcome.getByLabel('Who presided').fill('Nell Ashworth (co-opted lay member)');
    await follow(page, outcome.getByRole('button', { name: /Save for the minutes/ }));
    await assertNoErrors(page, 'saving how the item was handled');
  });

  test('the minutes say who was co-opted, the remedy and who presided', async () => {
    await page.goto(`${meetingPath}/minutes`);
    await checkBothWidths(page, 'minutes');
    const text = await page.locator('main').innerText();
    assert.match(text, /Nell Ashworth \(Westbrook Integrated Care Board\) was co-opted as a voting member for this item/);
    assert.match(text, /Members co-opted\. Presided: Nell Ashworth \(co-opted lay member\)\./);
  });
});
