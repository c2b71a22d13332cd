// Kinds of interest without JavaScript: a GP member declares a clinical private practice interest,
// leaving out a detail the kind needs, is shown it by its field with the form kept, and completes
// it; the public then filters the register by kind and finds it. The form (empty and with its
// errors) and the filtered register pass axe, at page width and at 320 px, with scripts on (axe
// itself needs them).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkAccessibility, checkErrorSummaryFocused, follow, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity();
const practice = 'Riverside Private Clinic';

async function fillClinicalPrivatePractice(page) {
  await page.getByLabel('Financial', { exact: true }).check();
  await page.getByLabel('Organisation', { exact: true }).fill(practice);
  await page.getByLabel('Nature of the interest').fill('Private minor surgery sessions');
  await page.locator('#from-day').fill('1');
  await page.locator('#from-month').fill('6');
  await page.locator('#from-year').fill('2025');
  await page.getByLabel('Clinical private practice', { exact: true }).check();
  await page.getByLabel('Name of the practice').fill(practice);
  await page.getByLabel('Address of the practice').fill('3 Mill Lane, Northbrook NB1 2AB');
  await page.getByLabel('The work you do there').fill('Minor surgery');
  // The mistake: the hours are left out.
}

async function signedInPage(options) {
  const page = await newPage(env, options);
  await page.goto('/sign-in');
  await signIn(page, 'hassan@northbrook.example');
  await page.waitForURL(/\/my$/);
  return page;
}

describe('kinds of interest: declared without JavaScript, filtered by the public', { timeout: 240_000 }, () => {
  test('the form with every kind\'s fields, and its errors, pass axe', async () => {
    const page = await signedInPage();
    await page.goto('/my/interests/new');
    await checkAccessibility(page, 'declare an interest, with kinds');
    await fillClinicalPrivatePractice(page);
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));
    await checkErrorSummaryFocused(page, 'clinical private practice with a missing detail');
    await checkAccessibility(page, 'clinical private practice with errors');
    await page.context().close();
  });

  test('a member declares clinical private practice without JavaScript', async () => {
    const page = await signedInPage({ javaScriptEnabled: false });
    await page.goto('/my/interests/new');
    await fillClinicalPrivatePractice(page);
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /Enter the hours/);
    assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#practice_hours');
    assert.match(await page.locator('#practice_hours-error').innerText(), /Enter the hours/);
    assert.equal(await page.getByLabel('Name of the practice').inputValue(), practice, 'what was typed is kept');
    assert.equal(await page.getByLabel('Clinical private practice', { exact: true }).isChecked(), true);

    await page.getByLabel('Hours').fill('Two sessions a month');
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));
    assert.match(page.url(), /\/my\/interests\/\d+/);
    const facts = await page.locator('.nhsuk-summary-list').innerText();
    assert.match(facts, /Clinical private practice/);
    assert.match(facts, /Two sessions a month/);
    assert.equal(await page.evaluate(() => document.documentElement.className.includes('js-enabled')), false,
                 'scripts really were off');
    await page.context().close();
  });

  test('the public filters the register by kind of interest', async () => {
    const page = await newPage(env);
    await page.goto('/register');
    await page.getByLabel('Kind of interest').selectOption('clinical_private_practice');
    await follow(page, page.getByRole('button', { name: 'Apply filters' }));
    assert.match(page.url(), /kind=clinical_private_practice/);
    const text = await page.locator('table.probity-register-table').innerText();
    assert.match(text, /Dr Fiona McLeod/);
    assert.match(text, /Dr Amir Hassan/);
    assert.doesNotMatch(text, /Partner \(GMS contract holder\)/, 'other kinds are filtered out');
    await checkAccessibility(page, 'the register filtered by kind');
    await page.goto('/register?q=Osei');
    assert.doesNotMatch(await page.locator('main').innerText(), /Kwame Osei/, 'not a decision-maker: never public');
    await page.context().close();
  });
});
