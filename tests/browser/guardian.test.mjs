// The Conflicts of Interest Guardian: a member asks for an entry to be withheld, governance
// forwards the request, the Guardian agrees (after a mistake) and the public register then shows
// the entry as withheld; the Guardian signs off the demo's confirmed breach, and the public
// breaches page shows it anonymised. Every page passes axe (at page width and at 320 px).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, follow, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity();
const nature = 'Member of the board of Northbrook Central PCN';

describe('the Conflicts of Interest Guardian decides', { timeout: 300_000 }, () => {
  test('a member asks for an entry to be withheld; governance forwards it', async () => {
    const page = await newPage(env);
    await signIn(page, 'hassan@northbrook.example');
    await page.goto('/my');
    await follow(page, page.getByRole('link', { name: nature }).first());
    await checkAccessibility(page, 'member entry page with the withholding form');
    await follow(page, page.getByRole('button', { name: 'Ask for it to be withheld' }));
    await checkErrorSummaryFocused(page, 'withholding request without a reason');
    await checkAccessibility(page, 'withholding request with errors');
    await page.getByLabel('Why should this entry be withheld?').fill('Threats have been made about the PCN board.');
    await follow(page, page.getByRole('button', { name: 'Ask for it to be withheld' }));
    await assertNoErrors(page, 'after asking');
    assert.match(await page.locator('main').innerText(), /Asked for/);
    await page.context().close();

    const governance = await newPage(env);
    await signIn(governance, 'governance@northbrook.example');
    await governance.goto('/governance/withholding-requests');
    await checkAccessibility(governance, 'withholding requests for governance');
    await governance.getByLabel(/Note for the Guardian about Dr Amir Hassan/).fill('Reported to the police; the risk is real.');
    await follow(governance, governance.getByRole('button', { name: /Forward to the Guardian for Dr Amir Hassan/ }));
    await assertNoErrors(governance, 'after forwarding');
    await checkAccessibility(governance, 'withholding requests after forwarding');
    await governance.context().close();
  });

  test('the Guardian agrees, and the public register shows the entry withheld', async () => {
    const page = await newPage(env);
    await signIn(page, 'guardian@northbrook.example');
    await page.goto('/guardian');
    await checkAccessibility(page, 'the Guardian page');
    await follow(page, page.getByRole('link', { name: new RegExp(`Dr Amir Hassan: ${nature}`) }));
    await checkAccessibility(page, 'a withholding request for the Guardian');
    await checkKeyboard(page, 'form[action^="/guardian/requests/"]', 'the Guardian decision form');
    await follow(page, page.getByRole('button', { name: 'Record my decision' }));
    await checkErrorSummaryFocused(page, 'decision without a choice');
    await checkAccessibility(page, 'decision with errors');
    await page.getByLabel(/^Agree/).check();
    await page.getByLabel('Your reason').fill('The risk of harm is real and recorded.');
    await follow(page, page.getByRole('button', { name: 'Record my decision' }));
    await assertNoErrors(page, 'after agreeing');
    assert.match(await page.locator('main').innerText(), /The risk of harm is real and recorded\./);
    await page.context().close();

    const visitor = await newPage(env);
    await visitor.goto('/register?q=Hassan');
    const text = await visitor.locator('main').innerText();
    assert.match(text, /withheld from the public register/);
    assert.doesNotMatch(text, /Northbrook Central PCN/);
    await checkAccessibility(visitor, 'public register with the withheld entry');
    await visitor.context().close();
  });

  test('the Guardian signs off a breach, and the public breaches page shows it anonymised', async () => {
    const page = await newPage(env);
    await signIn(page, 'guardian@northbrook.example');
    await page.goto('/guardian');
    await follow(page, page.getByRole('link', { name: /Gift or hospitality that should have been declined/ }));
    await checkAccessibility(page, 'a breach for the Guardian to sign off');
    await page.getByLabel(/^Sign it off/).check();
    await page.getByLabel('Your reason').fill('Handled in proportion; the summary names nobody.');
    await follow(page, page.getByRole('button', { name: 'Record my decision' }));
    await assertNoErrors(page, 'after signing off');
    await checkAccessibility(page, 'the Guardian page after signing off');
    await page.context().close();

    const visitor = await newPage(env);
    await visitor.goto('/breaches');
    const text = await visitor.locator('main').innerText();
    assert.match(text, /accepted hospitality worth over £75 from a supplier/);
    assert.match(text, /Interest not declared within 28 days/);
    assert.doesNotMatch(text, /Harding|Fletcher|dinner/);
    await checkAccessibility(visitor, 'public breaches register');
    await visitor.context().close();
  });

  test('governance records a breach by hand', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/meetings/breaches');
    await checkAccessibility(page, 'breaches register for governance');
    await follow(page, page.getByRole('link', { name: 'Record a breach' }));
    await checkAccessibility(page, 'record a breach');
    await follow(page, page.getByRole('button', { name: 'Save the draft breach' }));
    await checkErrorSummaryFocused(page, 'breach without its fields');
    await checkAccessibility(page, 'record a breach with errors');
    await page.getByLabel('Took part when excluded').check();
    await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Dr Nadia Kowalski' });
    await page.locator('#happened_on-day').fill('3');
    await page.locator('#happened_on-month').fill('11');
    await page.locator('#happened_on-year').fill('2026');
    await page.getByLabel('Audit', { exact: true }).check();
    await page.getByLabel('What happened', { exact: true }).fill('Dr Kowalski voted on an item after being asked to leave.');
    await follow(page, page.getByRole('button', { name: 'Save the draft breach' }));
    await assertNoErrors(page, 'after recording a breach');
    await checkAccessibility(page, 'a draft breach');
    await page.context().close();
  });
});
