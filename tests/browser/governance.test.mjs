// The governance team's journey: create an account and a set-password link; the new member sets
// a password and signs in. Governance withholds a declaration and the public register shows it withheld.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, follow, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, newPage, signIn, useProbity,
} from './support.mjs';

// Invitation emails off, so the page shows governance the link to hand over (the emailed
// invitation is tested in tests/server/mail/mail_kinds_test.cpp).
const env = useProbity({ config: { mail: { kinds: { invitation: false } } } });
const newEmail = 'claire.bennett@northbrook.example';
const newPassword = 'three quiet herons by the weir';

describe('governance sets up an account for a member', { timeout: 240_000 }, () => {
  let link;

  test('governance creates an account and a set-password link', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance');
    await checkAccessibility(page, 'governance');
    await checkKeyboard(page, 'form[action="/governance/accounts"]', 'create account form');

    // A mistake first: no email address.
    await follow(page, page.getByRole('button', { name: 'Create account and link' }));
    await checkErrorSummaryFocused(page, 'create account without an email');
    await checkAccessibility(page, 'governance with errors');

    await page.getByLabel('Email address').fill(newEmail);
    await page.getByLabel('Person on the register').selectOption({ label: 'Dr Claire Bennett' });
    await page.getByLabel('Role').selectOption('member');
    await follow(page, page.getByRole('button', { name: 'Create account and link' }));
    await checkAccessibility(page, 'governance after creating an account');
    link = (await page.locator('#set-password-link').innerText()).trim();
    assert.match(link, /^https?:\/\/.+\/.+/, 'a one-time link is shown');
    await page.context().close();
  });

  test('the new member sets a password and signs in', async () => {
    const page = await newPage(env);
    const path = new URL(link).pathname;   // the link names the configured base URL; use this server
    await page.goto(path);
    await checkAccessibility(page, 'set password');
    assert.match(await page.locator('main').innerText(), new RegExp(newEmail.replace('.', '\\.')));
    await checkKeyboard(page, 'main form', 'set password form');

    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Type the password again').fill(`${newPassword}!`);
    await follow(page, page.getByRole('button', { name: 'Set password' }));
    await checkErrorSummaryFocused(page, 'set password, not matching');
    await checkAccessibility(page, 'set password with errors');

    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Type the password again').fill(newPassword);
    await follow(page, page.getByRole('button', { name: 'Set password' }));
    await checkAccessibility(page, 'after setting the password');

    await signIn(page, newEmail, newPassword);
    await page.waitForURL(/\/my$/);
    assert.match(await page.locator('.nhsuk-lede-text').innerText(), /Dr Claire Bennett/);

    // The link worked once only.
    const again = await page.goto(path);
    assert.notEqual(again.status(), 200, 'a used set-password link no longer works');
    await page.context().close();
  });

  test('a wrong password is refused with the error summary focused', async () => {
    const page = await newPage(env);
    await signIn(page, newEmail, 'not the password');
    await checkErrorSummaryFocused(page, 'sign in with a wrong password');
    await checkAccessibility(page, 'sign in with errors');
    assert.equal(await page.getByLabel('Email address').inputValue(), newEmail, 'the email address is kept');
    await page.context().close();
  });

  test('governance withholds a declaration, with a reason; the public register then shows it as withheld', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance');
    await follow(page, page.getByRole('link', { name: 'Dr Amir Hassan', exact: true }));
    await checkAccessibility(page, 'governance person');
    await follow(page, page.getByRole('link', { name: 'Member of the board of Northbrook Central PCN' }));
    await checkAccessibility(page, 'governance entry');

    await checkKeyboard(page, 'form[action$="/withhold"]', 'withhold form');
    await follow(page, page.getByRole('link', { name: /audit history/i }).first());
    assert.match(new URL(page.url()).pathname, /^\/governance\/audit\//);
    await checkAccessibility(page, "an entry's audit history");
    await page.goBack();

    // A mistake first: no reason given.
    await follow(page, page.getByRole('button', { name: 'Withhold this entry' }));
    await checkErrorSummaryFocused(page, 'withhold without a reason');
    await checkAccessibility(page, 'withhold with errors');

    await page.locator('textarea[name="reason"]').fill('Publishing the board membership would identify a person at risk.');
    await follow(page, page.getByRole('button', { name: 'Withhold this entry' }));
    await assertNoErrors(page, 'after withholding');
    await page.context().close();

    const visitor = await newPage(env);
    await visitor.goto('/register?q=Hassan');
    const register = await visitor.locator('main').innerText();
    assert.match(register, /withheld/i, 'the public register says an entry is withheld');
    assert.doesNotMatch(register, /Member of the board of Northbrook Central PCN/, 'its details are not shown');
    assert.match(register, /Partner \(GMS contract holder\) of Riverside Surgery/, 'other entries are still shown');
    await checkAccessibility(visitor, 'register with a withheld entry');
    await visitor.context().close();
  });

  test("governance changes a committee's quorum rule after a mistake, and a member form shows its errors", async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance');
    await follow(page, page.getByRole('link', { name: 'Committees, members and quorum rules' }));
    await checkAccessibility(page, 'governance committees');
    await follow(page, page.locator('main').getByRole('link', { name: 'Primary Care Commissioning Committee' }).first());
    await checkAccessibility(page, 'governance committee');
    const committeeUrl = page.url();
    await checkKeyboard(page, 'form[action$="/memberships"]', 'add a member form');

    // Adding a member without choosing anyone or a role: the errors are shown, nothing saved.
    await follow(page, page.getByRole('button', { name: 'Add member' }));
    await checkErrorSummaryFocused(page, 'add a member with nothing chosen');
    await checkAccessibility(page, 'add a member with errors');

    // Ending a membership: the form, from the keyboard, without saving.
    await follow(page, page.locator('main a[href$="/end"]').first());
    assert.match(new URL(page.url()).pathname, /\/memberships\/\d+\/end$/);
    await checkAccessibility(page, 'end a membership');
    await checkKeyboard(page, 'main form', 'end a membership form');

    // The latest changes and whether the audit chain verifies.
    await page.goto('/governance/audit');
    await checkAccessibility(page, 'audit log');

    await page.goto(committeeUrl);
    await follow(page, page.getByRole('link', { name: 'Change the committee or its quorum rule' }));
    await checkAccessibility(page, 'change a committee');
    await checkKeyboard(page, 'main form', 'change a committee form');
    await page.locator('#min_voting').fill('-1');   // the mistake
    await follow(page, page.getByRole('button', { name: 'Save changes' }));
    await checkErrorSummaryFocused(page, 'change a committee with a negative quorum');
    await checkAccessibility(page, 'change a committee with errors');
    assert.equal(await page.locator('#min_voting').inputValue(), '-1', 'what was typed is kept');

    await page.locator('#min_voting').fill('5');
    await follow(page, page.getByRole('button', { name: 'Save changes' }));
    await assertNoErrors(page, 'after changing the quorum rule');
    await checkAccessibility(page, 'committee after changing its quorum rule');
    assert.match(await page.locator('main').innerText(), /5/);
    await page.context().close();
  });

  test('governance adds a new GP member after a mistake, then changes their details', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance');
    await follow(page, page.getByRole('link', { name: 'Add a person' }));
    await checkAccessibility(page, 'add a person');
    await checkKeyboard(page, 'main form', 'add a person form');

    // A mistake first: a lay member with a practice, and no name.
    await page.locator('#email').fill('nadia.rahman@nhs.net');
    await page.locator('#kind-lay').check();
    await page.locator('#practice_id').selectOption({ label: 'Riverside Surgery' });
    await follow(page, page.getByRole('button', { name: 'Add person' }));
    await checkErrorSummaryFocused(page, 'add a person with mistakes');
    await checkAccessibility(page, 'add a person with errors');
    assert.equal(await page.locator('#email').inputValue(), 'nadia.rahman@nhs.net', 'what was typed is kept');

    await page.locator('#name').fill('Dr Nadia Rahman');
    await page.locator('#kind-gp').check();
    await follow(page, page.getByRole('button', { name: 'Add person' }));
    await assertNoErrors(page, 'after adding a person');
    await checkAccessibility(page, 'governance person just added');
    assert.match(await page.locator('main').innerText(), /Riverside Surgery/);

    await follow(page, page.getByRole('link', { name: "Change Dr Nadia Rahman's details" }));
    await checkAccessibility(page, 'change a person');
    await page.locator('#position').fill('Salaried GP');
    await follow(page, page.getByRole('button', { name: 'Save changes' }));
    await assertNoErrors(page, 'after changing a person');
    assert.match(await page.locator('main').innerText(), /Salaried GP/);
    await page.context().close();
  });

  // Approving declarations needs "review_required": true, which the demo configuration leaves
  // off; tests/browser/review.test.mjs runs its own server with review on for that journey.
});
