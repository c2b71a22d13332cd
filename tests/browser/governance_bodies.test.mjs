// Several bodies: governance adds a body after a mistake (error summary focused, accessible at
// every width), then the person and committee forms ask for bodies in plain words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, follow, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity();

describe('governance adds a body of a joint arrangement', { timeout: 240_000 }, () => {
  test('a mistake, then the body; the person and committee forms then name the bodies', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance/bodies');
    await checkAccessibility(page, 'bodies');
    await follow(page, page.getByRole('link', { name: 'Add a body' }));
    await checkAccessibility(page, 'add a body');
    await checkKeyboard(page, 'form[action="/governance/bodies/new"]', 'add a body form');

    // Published elsewhere without the address: the error summary, focused.
    await page.getByRole('textbox', { name: 'Name' }).fill('NHS Westbrook Integrated Care Board');
    await page.getByRole('radio', { name: 'Published elsewhere' }).check();
    await follow(page, page.getByRole('button', { name: 'Add body' }));
    await checkErrorSummaryFocused(page, 'add a body without its register address');
    await checkAccessibility(page, 'add a body with errors');

    await page.getByRole('radio', { name: 'Published here' }).check();
    await follow(page, page.getByRole('button', { name: 'Add body' }));
    await assertNoErrors(page, 'body added');
    assert.match(await page.locator('main').innerText(), /NHS Westbrook Integrated Care Board/);

    await page.goto('/governance/people/new');
    await checkAccessibility(page, 'add a person with several bodies');
    assert.ok(await page.getByLabel('Home body').isVisible(), 'the home body is asked');
    await page.goto('/governance/committees/new');
    await checkAccessibility(page, 'add a committee with several bodies');
    assert.ok(await page.getByRole('group', { name: 'Bodies that own this committee' }).isVisible());
    await page.context().close();
  });
});
