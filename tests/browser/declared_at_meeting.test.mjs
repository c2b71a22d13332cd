// An interest first declared at a meeting: the chair creates a meeting held ten days ago at 14:00
// (a wrong start time first; its calendar entry then starts at 14:00 UK time, in UTC) and records it;
// governance sees it on the person's year; the member finds it in "What is due" on /my, follows
// the link to the interest form pre-filled from what they said, and declares it; it is no longer
// due. Axe at 1280 and 320 CSS px on each page that changed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoErrors, checkAccessibility, checkErrorSummaryFocused, follow, newPage, signIn, useProbity } from './support.mjs';

const env = useProbity();
const widths = [1280, 320];
const said = "Unpaid trustee of the Northbrook Carers' Trust";
const day = 24 * 60 * 60 * 1000;
const held = new Date(Date.now() - 10 * day);
const longDate = (d) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const title = 'Primary Care Commissioning Committee (extraordinary meeting)';

describe('an interest first declared at a meeting', { timeout: 240_000 }, () => {
  test('the chair records it; the member declares it from the pre-filled form; it stops being due', async () => {
    const chair = await newPage(env);
    await signIn(chair, 'ellison@northbrook.example');
    await chair.goto('/meetings/manage');
    const create = chair.locator('form[action="/meetings"]');
    await create.getByLabel('Committee').selectOption({ label: 'Primary Care Commissioning Committee' });
    await create.getByLabel('Title').fill(title);
    await create.locator('#date-day').fill(String(held.getUTCDate()));
    await create.locator('#date-month').fill(String(held.getUTCMonth() + 1));
    await create.locator('#date-year').fill(String(held.getUTCFullYear()));
    await create.getByLabel('Start time (optional)').fill('25:00');  // the mistake
    await follow(chair, create.getByRole('button', { name: 'Create the meeting' }));
    await checkErrorSummaryFocused(chair, 'a start time that is not a time');
    await checkAccessibility(chair, 'create a meeting with a wrong start time', { widths });
    assert.equal(await chair.getByLabel('Start time (optional)').inputValue(), '25:00', 'what was typed is kept');
    await chair.locator('form[action="/meetings"]').getByLabel('Committee').selectOption({ label: 'Primary Care Commissioning Committee' });
    await chair.getByLabel('Start time (optional)').fill('14:00');
    await follow(chair, chair.getByRole('button', { name: 'Create the meeting' }));
    await assertNoErrors(chair, 'creating a meeting held ten days ago');
    const meetingPath = new URL(chair.url()).pathname.replace(/\/manage$/, '');
    assert.match(await chair.locator('main dl').first().innerText(), /, 2:00pm/);
    // Its calendar entry starts at 14:00 UK time, written in UTC.
    const ics = await (await chair.request.get(`${meetingPath}.ics`)).text();
    assert.match(ics, /\r\nDTSTART:\d{8}T1[34]0000Z\r\nDURATION:PT2H\r\n/);
    await chair.goto(`${meetingPath}/record`);
    const form = chair.locator(`form[action="${meetingPath}/declarations"]`);
    await form.getByLabel('Who declared').selectOption({ label: 'Dr Amir Hassan' });
    await form.getByLabel('What was declared').fill(said);
    await follow(chair, form.getByRole('button', { name: 'Record the declaration' }));
    await assertNoErrors(chair, 'recording a declaration not on the register');
    await chair.context().close();

    const governance = await newPage(env);
    await signIn(governance, 'governance@northbrook.example');
    await governance.goto('/governance/compliance');
    await checkAccessibility(governance, 'compliance dashboard with a declaration made at a meeting', { widths });
    // His year page lists the meeting's event, open, with its due date.
    await follow(governance, governance.getByRole('link', { name: 'Dr Amir Hassan' }).first());
    assert.match(new URL(governance.url()).pathname, /^\/governance\/people\/\d+\/year$/);
    assert.ok((await governance.locator('main').innerText()).includes(`declared an interest at ${title} on ${longDate(held)}`));
    await checkAccessibility(governance, "a person's year with a declaration made at a meeting", { widths });
    await governance.context().close();

    const page = await newPage(env);
    await signIn(page, 'hassan@northbrook.example');
    await page.goto('/my');
    const due = page.locator('.nhsuk-warning-callout', { hasText: 'What is due' });
    assert.ok((await due.innerText()).includes(
      `At ${title} on ${longDate(held)} you declared "${said}", which is not on the register: declare it by ${longDate(new Date(held.getTime() + 28 * day))}`));
    await checkAccessibility(page, 'member dashboard with an interest declared at a meeting', { widths });
    await follow(page, due.getByRole('link', { name: /^Declare it on the register/ }));
    assert.match(page.url(), /\/my\/interests\/new\?meeting_declaration=\d+$/);
    assert.equal(await page.getByLabel('Nature of the interest').inputValue(), said, 'the form starts from what was said');
    assert.equal(await page.locator('#aware_on-day').inputValue(), String(held.getUTCDate()));
    assert.equal(await page.locator('#aware_on-month').inputValue(), String(held.getUTCMonth() + 1));
    assert.match(await page.locator('.nhsuk-inset-text').innerText(), /It is not on the register yet/);
    await checkAccessibility(page, 'declare an interest first declared at a meeting', { widths });

    await page.getByLabel('Non-financial personal', { exact: true }).check();
    await page.getByLabel('Organisation', { exact: true }).fill("Northbrook Carers' Trust");
    await page.locator('#from-day').fill('1');
    await page.locator('#from-month').fill('1');
    await page.locator('#from-year').fill(String(held.getUTCFullYear()));
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));
    await assertNoErrors(page, 'declaring the interest');
    await page.goto('/my');
    assert.equal(await page.getByRole('link', { name: /^Declare it on the register/ }).count(), 0, 'no longer due');
    await page.context().close();
  });
});
