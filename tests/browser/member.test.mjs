// A GP member's journey: sign in, declare a financial interest with a mistake, see the error
// summary with their input kept, correct it, edit it, end it, make a nil return, and declare a
// hospitality offer after checking it against the rules. Every page passes axe, every form is
// usable from the keyboard, and the error summary takes focus after a failed submit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  follow, assertNoErrors, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, newPage, screenshot, signIn, useProbity,
} from './support.mjs';

const env = useProbity();
const organisation = 'Northbrook Pharmacy Services Ltd';
const nature = 'Shareholder (2% of ordinary shares) in a community pharmacy company';

async function fillDate(page, name, day, month, year) {
  await page.locator(`#${name}-day`).fill(day);
  await page.locator(`#${name}-month`).fill(month);
  await page.locator(`#${name}-year`).fill(year);
}

describe('a GP member declares, corrects, edits and ends an interest', { timeout: 240_000 }, () => {
  let page;
  let interestUrl;

  test('signs in and sees their dashboard', async () => {
    page = await newPage(env);
    await page.goto('/sign-in');
    await checkAccessibility(page, 'sign in');
    await checkKeyboard(page, 'main form', 'sign-in form');
    await signIn(page, 'hassan@northbrook.example');
    await page.waitForURL(/\/my$/);
    await checkAccessibility(page, 'member dashboard');
    assert.match(await page.locator('.nhsuk-lede-text').innerText(), /Dr Amir Hassan/);
    await screenshot(page, 'member-dashboard');
  });

  test('declares a financial interest with a mistake and is shown it, input kept', async () => {
    await follow(page, page.getByRole('link', { name: 'Declare an interest' }));
    assert.match(page.url(), /\/my\/interests\/new$/);
    await checkAccessibility(page, 'declare an interest');
    await checkKeyboard(page, 'main form', 'declare an interest form');

    await page.getByLabel('Financial', { exact: true }).check();
    await page.getByLabel('Organisation', { exact: true }).fill(organisation);
    await page.getByLabel('Nature of the interest').fill(nature);
    await fillDate(page, 'from', '31', '2', '2026');   // the mistake: there is no 31 February
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));

    await checkErrorSummaryFocused(page, 'declare an interest with errors');
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /There is a problem/);
    const link = summary.getByRole('link').first();
    assert.match(await link.innerText(), /real date/);
    assert.equal(await link.getAttribute('href'), '#from-day', 'the summary links to the first field of the date');
    assert.match(await page.locator('#from-error').innerText(), /real date/, 'the message is shown at the field too');
    // What was typed is kept, so only the mistake needs fixing.
    assert.equal(await page.getByLabel('Financial', { exact: true }).isChecked(), true);
    assert.equal(await page.getByLabel('Organisation', { exact: true }).inputValue(), organisation);
    assert.equal(await page.getByLabel('Nature of the interest').inputValue(), nature);
    assert.equal(await page.locator('#from-day').inputValue(), '31');
    await checkAccessibility(page, 'declare an interest with errors');
    await screenshot(page, 'declaration-form-errors');

    // The summary's link takes keyboard focus to the field.
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'from-day');
    await checkKeyboard(page, 'main form', 'declare an interest form with errors');
  });

  test('corrects it and submits', async () => {
    await page.locator('#from-day').fill('28');
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));
    await assertNoErrors(page, 'declaring the corrected interest');
    await checkAccessibility(page, 'after declaring');
    await page.goto('/my');
    await follow(page, page.getByRole('link', { name: nature }));
    assert.match(page.url(), /\/my\/interests\/\d+$/);
    interestUrl = page.url();
    await checkAccessibility(page, 'the declared interest');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), nature);
    assert.match(await page.locator('dl').innerText(), new RegExp(organisation));
  });

  test('edits it: the change is saved as a new version', async () => {
    await follow(page, page.getByRole('link', { name: 'Change this interest' }));
    await checkAccessibility(page, 'change an interest');
    assert.equal(await page.getByLabel('Nature of the interest').inputValue(), nature, 'the form starts from the entry');
    await checkKeyboard(page, 'main form', 'change an interest form');
    await page.getByLabel('Nature of the interest').fill(`${nature}, held through a family trust`);
    await follow(page, page.getByRole('button', { name: 'Save changes' }));
    await page.goto(interestUrl);
    await checkAccessibility(page, 'the changed interest');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `${nature}, held through a family trust`);
    assert.equal(await page.locator('table tbody tr').count(), 2, 'both versions are in the history');
  });

  test('ends it', async () => {
    await follow(page, page.getByRole('link', { name: 'This interest has ended' }));
    await checkAccessibility(page, 'end an interest');
    await checkKeyboard(page, 'main form', 'end an interest form');
    await follow(page, page.getByRole('button', { name: 'Record the end date' }));
    await checkErrorSummaryFocused(page, 'end an interest without a date');
    await checkAccessibility(page, 'end an interest with errors');
    await fillDate(page, 'to', '1', '10', '2026');
    await follow(page, page.getByRole('button', { name: 'Record the end date' }));
    await page.goto(interestUrl);
    assert.match(await page.locator('dl').innerText(), /To\s+2026-10-01|To\s+1 October 2026/);
    assert.equal(await page.getByRole('link', { name: 'This interest has ended' }).count(), 0);
    await page.goto('/my');
    assert.match(await page.getByRole('heading', { name: 'Ended interests' }).locator('xpath=following-sibling::ul[1]').innerText(),
                 /held through a family trust/);
  });

  test('makes a nil return', async () => {
    // Dr Hassan holds interests: the dashboard does not tell him he has none to declare, so he
    // goes to the form by its address.
    await page.goto('/my');
    assert.equal(await page.getByRole('link', { name: 'Make a nil return' }).count(), 0);
    await page.goto('/my/nil-return');
    await checkAccessibility(page, 'nil return');
    await checkKeyboard(page, 'main form', 'nil return form');
    await follow(page, page.getByRole('button', { name: 'Make nil return' }));   // forgot to confirm
    await checkErrorSummaryFocused(page, 'nil return without confirming');
    await checkAccessibility(page, 'nil return with errors');
    await page.getByLabel('I confirm this statement is true').check();
    await follow(page, page.getByRole('button', { name: 'Make nil return' }));
    assert.match(await page.locator('.nhsuk-inset-text').first().innerText(), /Your nil return has been made/);
    await page.goto('/my');
    assert.match(await page.getByRole('heading', { name: 'Nil returns' }).locator('xpath=following-sibling::*[1]').innerText(),
                 /no interests to declare/);
  });

  test('declares a hospitality offer and is told what the rules say', async () => {
    await follow(page, page.getByRole('link', { name: 'Declare a gift or hospitality' }));
    await checkAccessibility(page, 'declare a gift or hospitality');
    await checkKeyboard(page, 'main form', 'gift form');
    await page.getByLabel('Hospitality', { exact: true }).check();
    await page.getByLabel('Who offered it?').fill('Acme Health Care Limited');
    await page.locator('#from_supplier-yes').check();
    await page.locator('#cash_or_voucher-no').check();
    await page.getByLabel('What was offered?').fill('Dinner after a supplier briefing');
    await page.getByLabel('Value in pounds').fill('40');
    await fillDate(page, 'offered_on', '2', '10', '2026');
    await follow(page, page.getByRole('button', { name: 'Check against the rules' }));

    const outcome = page.locator('#outcome');
    await assert.doesNotReject(outcome.waitFor(), 'the rules outcome is shown');
    const said = await outcome.innerText();
    assert.match(said, /What the rules say/);
    assert.match(said, /£25|£75|threshold|declare|approval|decline/i, `the outcome speaks to the threshold: ${said}`);
    assert.match(said, /£40\.00/, 'the running total includes this offer');
    await checkAccessibility(page, 'gift checked against the rules');
    await checkKeyboard(page, 'main form', 'gift form after the check');

    await page.getByLabel('I accepted it').check();
    await follow(page, page.getByRole('button', { name: 'Declare it' }));
    if (await page.locator('.nhsuk-error-summary').count()) {
      // The rules asked for senior approval: the page says so and the member records it.
      await checkErrorSummaryFocused(page, 'gift needing approval');
      await checkAccessibility(page, 'gift form with errors');
      await page.getByLabel('Senior approval (if the rules need it)').fill('Sarah Whitfield, Accountable Officer');
      await follow(page, page.getByRole('button', { name: 'Declare it' }));
    }
    await page.goto('/my');
    await checkAccessibility(page, 'dashboard after declaring');
    assert.match(await page.getByRole('heading', { name: 'Gifts and hospitality' }).locator('xpath=following-sibling::*[1]').innerText(),
                 /Acme Health Care Limited/);

    // Each entry has its own page and change form (how a returned entry is put right).
    await follow(page, page.getByRole('link', { name: /from Acme Health Care Limited/ }));
    await checkAccessibility(page, 'gift page');
    await follow(page, page.getByRole('link', { name: 'Change this entry', exact: true }));
    await checkAccessibility(page, 'change a gift');
    await checkKeyboard(page, 'main form', 'change gift form');
    await page.goto('/my');
    await follow(page, page.getByRole('heading', { name: 'Nil returns' }).locator('xpath=following-sibling::*[1]')
      .getByRole('link').first());
    await checkAccessibility(page, 'nil return page');
    await follow(page, page.getByRole('link', { name: 'Change this nil return', exact: true }));
    await checkAccessibility(page, 'change a nil return');
    await checkKeyboard(page, 'main form', 'change nil return form');
    await page.context().close();
  });

  test('at 200% zoom (a 640 px wide viewport): declares an interest, with the guide to what to declare', async () => {
    const zoomed = await newPage(env, { viewport: { width: 640, height: 450 } });
    await signIn(zoomed, 'hassan@northbrook.example');
    await follow(zoomed, zoomed.getByRole('link', { name: 'Declare an interest' }));
    await checkAccessibility(zoomed, 'declare an interest at 200% zoom');
    await follow(zoomed, zoomed.locator('main').getByRole('link', { name: 'What to declare' }));
    await checkAccessibility(zoomed, 'what to declare at 200% zoom');
    await assert.doesNotReject(zoomed.getByRole('heading', { name: 'Indirect interests' }).waitFor());
    await zoomed.goBack();
    await zoomed.getByLabel('Non-financial personal', { exact: true }).check();
    await zoomed.getByLabel('Organisation', { exact: true }).fill('Northbrook Carers Trust');
    await zoomed.getByLabel('Nature of the interest').fill('Trustee of a local carers charity');
    await fillDate(zoomed, 'from', '1', '9', '2026');
    await follow(zoomed, zoomed.getByRole('button', { name: 'Declare interest' }));
    await assertNoErrors(zoomed, 'declaring at 200% zoom');
    await zoomed.goto('/my');
    await follow(zoomed, zoomed.getByRole('link', { name: 'Trustee of a local carers charity' }));
    await checkAccessibility(zoomed, 'the declared interest at 200% zoom');
    await zoomed.context().close();
  });
});
