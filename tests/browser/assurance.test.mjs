// The audit committee's annual assurance report: governance opens it from the governance page,
// chooses a year, and the page, printed or read at 320 px, passes axe; the CSV and JSON links
// give the same figures for the same instant.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAccessibility, follow, newPage, signIn, useProbity } from './support.mjs';

const env = useProbity();

describe('the annual assurance report', { timeout: 120_000 }, () => {
  test('governance opens the report, chooses a year and downloads it', async () => {
    const page = await newPage(env);
    await signIn(page, 'governance@northbrook.example');
    await page.goto('/governance');
    await follow(page, page.getByRole('link', { name: 'Annual assurance report' }));
    await checkAccessibility(page, 'assurance report');
    const main = await page.locator('main').innerText();
    assert.match(main, /Annual assurance report \d{4} to \d{4}/);
    assert.match(main, /people in post on \d{1,2} [A-Z][a-z]+ \d{4}/);
    assert.match(main, /Register extract for the annual report/);

    // The same figures as JSON, for the instant the page names.
    const jsonHref = await page.getByRole('link', { name: 'This report as JSON' }).getAttribute('href');
    const report = await (await page.request.get(jsonHref)).json();
    const people = Number((main.match(/Of (\d+) people in post/) ?? [])[1]);
    assert.equal(report.annual_declaration.people_in_post, people, 'the page and the JSON agree');
    assert.ok(report.register_extract.length > 0, 'the demo register has entries in the year');

    // Another year, chosen with the form (works without JavaScript: a GET form).
    const years = await page.getByLabel('Declaration year').locator('option').allInnerTexts();
    await page.getByLabel('Declaration year').selectOption({ label: years[1] });
    await follow(page, page.getByRole('button', { name: 'Show the report' }));
    await checkAccessibility(page, 'assurance report, an earlier year');
    assert.match(await page.locator('h1').innerText(), new RegExp(years[1]));

    const print = await page.emulateMedia({ media: 'print' }).then(() => page.locator('form').first().isVisible());
    assert.equal(print, false, 'the year form is not printed');
    await page.context().close();
  });
});
