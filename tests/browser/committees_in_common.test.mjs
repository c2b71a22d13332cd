// Committees in common: the demo's Northbrook and Southvale primary care commissioning
// committees meet in common on one agenda. The Southvale chair (a lay member of NHS Southvale
// CCG) signs in, opens her committee's brief for the meeting, sees the summary of the committees
// in common with an item quorate for the Northbrook committee and not for hers, records her
// decision on a conflict, and reads her committee's minutes. axe runs on every page visited, at
// desktop width and at 320 CSS pixels.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoErrors, checkAccessibility, follow, newPage, signIn, useProbity } from './support.mjs';

const env = useProbity();
const dispersal = 'Valley Road Surgery: list dispersal';

describe('the Southvale chair at a meeting of committees in common', { timeout: 180_000 }, () => {
  let page;
  let meetingPath;

  test('she signs in and finds her committee\'s meeting, held in common with the Northbrook committee', async () => {
    page = await newPage(env, { viewport: { width: 1280, height: 900 } });
    await signIn(page, 'marsh@southvale.example');
    const meetings = await (await page.request.get('/api/v1/meetings')).json();
    const ours = meetings.meetings.find((m) => m.committee.name === 'Southvale Primary Care Commissioning Committee');
    assert.ok(ours, 'the Southvale chair manages her committee\'s meeting');
    assert.ok(ours.in_common_with, 'it is held in common with a lead meeting');
    meetingPath = `/meetings/${ours.id}`;
    // Not the Northbrook committee's own brief: chairs manage only the committees they chair.
    const lead = await page.request.get(`/meetings/${ours.in_common_with}/brief`);
    assert.equal(lead.status(), 403);
  });

  test('her brief shows each committee\'s quorum, item by item', async () => {
    await page.goto(`${meetingPath}/brief`);
    await checkAccessibility(page, 'the Southvale brief');
    const table = page.locator('table.probity-brief-in-common');
    const headers = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(headers.map((h) => h.replace(/\s+/g, ' ').trim()), ['Item', 'Primary Care Commissioning Committee',
                                                   'Southvale Primary Care Commissioning Committee (this brief)']);
    const row = table.locator('tbody tr', { hasText: dispersal });
    const cells = row.locator('td');
    assert.match(await cells.nth(0).innerText(), /^Quorate/);
    assert.match(await cells.nth(1).innerText(), /Inquorate[\s\S]*2 eligible voting members are present; the quorum needs at least 3\.[\s\S]*1 person conflicted/);
    // Her own summary says the same, with the conflicted GP leaving the room, and names bodies.
    const glance = page.locator('table.probity-brief-summary tbody tr', { hasText: dispersal });
    assert.match(await glance.innerText(), /Inquorate[\s\S]*Dr Owen Pryce/);
    const pryce = page.locator('table.probity-brief-matrix tbody tr', { hasText: 'Dr Owen Pryce' });
    assert.match(await pryce.innerText(), /GP, Voting member, NHS Southvale Clinical Commissioning Group/);
    // The JSON says the same.
    const conflicts = await (await page.request.get(`/api/v1${meetingPath}/conflicts`)).json();
    const group = conflicts.meeting.in_common;
    const item = conflicts.items.find((i) => i.title === dispersal);
    assert.equal(group.length, 2);
    assert.equal(group[0].items.find((i) => i.agenda_item_id === item.id).quorate, true);
    assert.equal(group[1].items.find((i) => i.agenda_item_id === item.id).quorate, false);
  });

  test('she records her decision on the conflict, and the minutes say so', async () => {
    await page.goto(`${meetingPath}/record`);
    await checkAccessibility(page, 'the Southvale record page');
    const form = page.locator(`form[action="${meetingPath}/decisions"]`, { hasText: 'Dr Owen Pryce' }).first();
    await form.getByLabel(/Chair's decision for Dr Owen Pryce/).selectOption({ label: 'Leave the room for the item' });
    await form.getByLabel(/Reason, for the minutes/).fill('His practice is the one whose list is dispersed.');
    await form.getByLabel(/Decided by/).fill('Helen Marsh');
    await follow(page, form.getByRole('button'));
    await assertNoErrors(page, 'recording the decision');
    assert.match(await page.locator('main').innerText(), /Recorded decision:[\s\S]*His practice is the one whose list is dispersed\./);

    await page.goto(`${meetingPath}/minutes`);
    await checkAccessibility(page, 'the Southvale minutes');
    const minutes = await page.locator('main').innerText();
    assert.match(minutes, /Dr Owen Pryce/);
    assert.match(minutes, /His practice is the one whose list is dispersed\./);
  });

  test('the meeting\'s page says it shares the Northbrook committee\'s agenda', async () => {
    await page.goto(`${meetingPath}/manage`);
    await checkAccessibility(page, 'the Southvale manage page');
    assert.match(await page.locator('#shares-agenda').innerText(),
                 /This meeting shares the agenda of Primary Care Commissioning Committee's meeting/);
    assert.equal(await page.locator(`form[action="${meetingPath}/items"]`).count(), 0, 'no agenda form on a follower');
  });
});
