// The register of procurement decisions: the public reads it (home page, list, one decision),
// and governance completes a draft (a mistake first), publishes it, and the public then sees it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, follow, newPage, signIn, useProbity, visit,
} from './support.mjs';

const env = useProbity();

describe('the register of procurement decisions', { timeout: 240_000 }, () => {
  test('the public reads the register: list, then one decision', async () => {
    const page = await newPage(env);
    await visit(page, '/', 'home');
    await follow(page, page.getByRole('link', { name: 'Procurement decisions' }).first());
    assert.equal(new URL(page.url()).pathname, '/procurement');
    await checkAccessibility(page, 'procurement register');
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Register of procurement decisions' }).waitFor());
    const rows = await page.locator('table tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('Wheelchair repair service')), 'a decision under delegated authority is listed');
    assert.ok(!rows.some((r) => r.includes('Community phlebotomy')), 'a draft is not listed');

    await follow(page, page.getByRole('link', { name: 'Enhanced service for care home residents 2026/27' }));
    await checkAccessibility(page, 'procurement decision');
    await assert.doesNotReject(page.getByRole('heading', { level: 2, name: 'Conflicts of interest and how they were managed' }).waitFor());
    await assert.doesNotReject(page.getByText('Dr Amir Hassan').first().waitFor(), 'a GP member conflicted by the enhanced service');
    await assert.doesNotReject(page.getByText(/excluded by default/).first().waitFor());
    await assert.doesNotReject(page.getByRole('link', { name: 'Published minutes of the meeting' }).waitFor());

    await follow(page, page.getByRole('link', { name: 'Back to the register of procurement decisions' }));
    await follow(page, page.getByRole('link', { name: /Wheelchair repair service/ }));
    await checkAccessibility(page, 'procurement decision under delegated authority');
    await assert.doesNotReject(page.getByText('Chief Finance Officer under delegated authority').first().waitFor());
    await page.context().close();
  });

  test('governance completes a drafted decision and publishes it', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance');
    await follow(page, page.getByRole('link', { name: /^Procurement decisions: drafts/ }));
    await checkAccessibility(page, 'governance procurement list');
    await follow(page, page.getByRole('link', { name: 'Community phlebotomy service, Eastgate' }));
    await checkAccessibility(page, 'governance procurement draft');
    await follow(page, page.getByRole('link', { name: 'Complete or correct this decision' }));
    await checkAccessibility(page, 'procurement form');
    await checkKeyboard(page, 'form[action$="/edit"]', 'procurement form');

    // A mistake first: a value that is not an amount of money.
    await page.getByLabel('Value in pounds (optional)').fill('about forty thousand');
    await page.getByLabel('Provider chosen').fill('Eastgate Pathology Partnership');
    await follow(page, page.getByRole('button', { name: 'Save changes' }));
    await checkErrorSummaryFocused(page, 'procurement form with a wrong value');
    await checkAccessibility(page, 'procurement form with errors');
    assert.equal(await page.getByLabel('Provider chosen').inputValue(), 'Eastgate Pathology Partnership', 'the form comes back filled in');

    await page.getByLabel('Value in pounds (optional)').fill('39,500');
    await page.getByLabel('Who took part in the decision').fill('Lucy Chapman, Head of Primary Care Commissioning');
    await page.getByLabel('Conflicts declared and how each was managed').fill('None declared.');
    await follow(page, page.getByRole('button', { name: 'Save changes' }));
    await assertNoErrors(page, 'procurement form saved');
    await follow(page, page.getByRole('button', { name: 'Publish this decision' }));
    await assertNoErrors(page, 'procurement decision published');
    await checkAccessibility(page, 'governance procurement published');
    await assert.doesNotReject(page.getByText('The decision has been published').waitFor());
    await page.context().close();

    const reader = await newPage(env);
    await visit(reader, '/procurement', 'procurement register after publishing');
    await follow(reader, reader.getByRole('link', { name: 'Community phlebotomy service, Eastgate' }));
    await checkAccessibility(reader, 'published phlebotomy decision');
    await assert.doesNotReject(reader.getByText('£39,500').waitFor());
    await reader.context().close();
  });
});
