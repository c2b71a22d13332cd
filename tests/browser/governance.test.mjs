// The governance team's journey: create an account and a set-password link; the new member sets
// a password and signs in. Then approving and withholding declarations (skipped until built).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  follow, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity();
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

  test('governance approves one declaration and withholds another; the public register shows it withheld', {
    skip: 'governance review pages (/governance/review, approve and withhold) are being built on another branch '
      + 'and are not on main yet; write this journey when they land',
  }, () => {});
});
