// Review, for an organisation that approves declarations before they are published
// ("review_required": true): a GP member declares an interest; it is not on the public register
// yet; governance opens the review queue, makes a mistake (no decision chosen), approves it, and
// the public register then shows it. Every page passes axe; the review form works by keyboard.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, follow, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity({ config: { review_required: true } });
const nature = 'Director of Wellbrook Community Interest Company (unpaid)';

async function publicRegisterText() {
  const visitor = await newPage(env);
  await visitor.goto('/register?q=Wellbrook');
  const text = await visitor.locator('main').innerText();
  await checkAccessibility(visitor, 'public register searched for the new entry');
  await visitor.context().close();
  return text;
}

describe('governance approves a declaration before it is published', { timeout: 240_000 }, () => {
  test('a member declares an interest; it waits for review', async () => {
    const page = await newPage(env);
    await signIn(page, 'hassan@northbrook.example');
    await follow(page, page.getByRole('link', { name: 'Declare an interest' }));
    await page.getByLabel('Non-financial professional', { exact: true }).check();
    await page.getByLabel('Organisation', { exact: true }).fill('Wellbrook Community Interest Company');
    await page.getByLabel('Nature of the interest').fill(nature);
    await page.locator('#from-day').fill('1');
    await page.locator('#from-month').fill('10');
    await page.locator('#from-year').fill('2026');
    await follow(page, page.getByRole('button', { name: 'Declare interest' }));
    await assertNoErrors(page, 'declaring an interest for review');
    await checkAccessibility(page, 'after declaring, review on');
    await page.context().close();

    assert.doesNotMatch(await publicRegisterText(), /Wellbrook/, 'not published before it is approved');
  });

  test('governance finds it in the review queue and approves it, after a mistake', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance/review');
    await checkAccessibility(page, 'review queue');
    await follow(page, page.getByRole('link', { name: nature }));
    await checkAccessibility(page, 'entry to review');
    await checkKeyboard(page, 'form[action$="/review"]', 'review form');

    // The mistake: recording a decision without choosing one.
    await follow(page, page.getByRole('button', { name: 'Record decision' }));
    await checkErrorSummaryFocused(page, 'review without a decision');
    await checkAccessibility(page, 'review with errors');

    await page.getByLabel('Approve it').check();
    await follow(page, page.getByRole('button', { name: 'Record decision' }));
    await assertNoErrors(page, 'after approving');
    await checkAccessibility(page, 'after approving');
    await page.context().close();

    const register = await publicRegisterText();
    assert.match(register, /Wellbrook/, 'the approved entry is on the public register');
    assert.match(register, /Dr Amir Hassan/);
  });
});
