// A chair's journey through a meeting: open the brief, see the conflicts matrix and an inquorate
// item, record decisions and a declaration at the meeting, mark it held, publish it, and see the
// declarations section on the published public page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoErrors, follow, checkAccessibility, checkErrorSummaryFocused, checkKeyboard, newPage, signIn, useProbity,
} from './support.mjs';

const env = useProbity();
const committee = 'Primary Care Commissioning Committee';

describe('a chair prepares, records and publishes a meeting', { timeout: 240_000 }, () => {
  let page;
  let meetingPath;

  test('opens the brief: conflicts matrix and an inquorate item', async () => {
    page = await newPage(env);
    await signIn(page, 'ellison@northbrook.example');
    await page.goto('/meetings/manage');
    await checkAccessibility(page, 'meetings');
    await checkKeyboard(page, 'form[action="/meetings"]', 'create a meeting form');
    await follow(page, page.getByRole('link', { name: new RegExp(`^Brief for ${committee}`) }).first());
    meetingPath = new URL(page.url()).pathname.match(/^\/meetings\/\d+/)[0];
    assert.equal(new URL(page.url()).pathname, `${meetingPath}/brief`);
    await checkAccessibility(page, "chair's brief");
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Chair's brief/);
    const matrix = page.locator('table.probity-brief-matrix');
    assert.match(await matrix.locator('caption').innerText(), /Each person with a conflict against each agenda item/);
    assert.ok(await matrix.locator('tbody tr').count() > 1, 'a row per person with a conflict');
    assert.ok(await matrix.locator('td .nhsuk-tag').count() > 0, 'conflicts are flagged in the matrix');
    assert.match(await page.locator('.probity-brief-summary').innerText(), /Inquorate/);
    assert.ok(await page.locator('.probity-brief-item .nhsuk-tag--red', { hasText: 'Inquorate' }).count() > 0,
              'an agenda item is marked inquorate');
    await assert.doesNotReject(page.getByRole('heading', { name: 'Why the item is inquorate' }).first().waitFor());

    await follow(page, page.getByRole('link', { name: 'Print this brief' }));
    await checkAccessibility(page, "chair's brief, print version");
  });

  test("at 200% zoom (a 640 px wide viewport): the brief, its matrix reachable by keyboard, and the attendance form", async () => {
    const zoomed = await newPage(env, { viewport: { width: 640, height: 450 } });
    await signIn(zoomed, 'ellison@northbrook.example');
    await zoomed.goto(`${meetingPath}/brief`);
    await checkAccessibility(zoomed, "chair's brief at 200% zoom");
    // The matrix is the one table kept wide: its scroller is a labelled region that takes focus,
    // so it can be scrolled with the arrow keys, and every item's column is in it.
    const scroller = zoomed.locator('.probity-table-scroll:has(table.probity-brief-matrix)');
    assert.equal(await scroller.getAttribute('tabindex'), '0');
    assert.equal(await scroller.getAttribute('role'), 'region');
    const items = await zoomed.locator('.probity-brief-summary tbody tr').count();
    assert.equal(await scroller.locator('thead th').count(), items + 1, 'a column per agenda item, after the names');
    await zoomed.goto(`${meetingPath}/manage`);
    await checkAccessibility(zoomed, 'manage the meeting at 200% zoom');
    await checkKeyboard(zoomed, `form[action="${meetingPath}/attendance"]`, 'attendance form at 200% zoom');
    await zoomed.context().close();
  });

  test('records a decision on a conflict and a declaration at the meeting', async () => {
    await page.goto(`${meetingPath}/record`);
    await checkAccessibility(page, 'record the meeting');
    const form = page.locator(`form[action="${meetingPath}/decisions"]`).first();
    const person = (await form.locator('input[name=person_id]').count()) && (await form.locator('label').first().innerText());
    assert.ok(person, 'there is a conflict to decide');
    await checkKeyboard(page, `form[action="${meetingPath}/decisions"] >> nth=0`, 'decision form');
    await form.locator('select[name=action]').selectOption({ index: 1 });
    await form.getByLabel('Reason, for the minutes').fill('Partner in a practice named in the item; left the room.');
    await form.getByLabel('Decided by').fill('Margaret Ellison, chair');
    await follow(page, form.getByRole('button', { name: /Record the decision/ }));
    await page.goto(`${meetingPath}/record`);
    await assert.doesNotReject(page.getByText('Partner in a practice named in the item; left the room.').first().waitFor(),
                               'the decision is recorded');

    // A declaration with nothing in it is refused, the error summary taking focus.
    const declarations = `form[action="${meetingPath}/declarations"]`;
    await checkKeyboard(page, declarations, 'declaration form');
    await follow(page, page.locator(declarations).getByRole('button', { name: 'Record the declaration' }));
    await checkErrorSummaryFocused(page, 'declaration without text');
    await checkAccessibility(page, 'record the meeting with errors');

    const declarationForm = page.locator(declarations);
    await declarationForm.getByLabel('Who declared').selectOption({ label: 'Dr Amir Hassan' });
    const mergerItem = await declarationForm.locator('option', { hasText: 'Proposed merger of Riverside Surgery' }).getAttribute('value');
    await declarationForm.getByLabel('For which item').selectOption(mergerItem);
    await declarationForm.getByLabel('What was declared').fill('Partner of Riverside Surgery, one of the merging practices.');
    await follow(page, declarationForm.getByRole('button', { name: 'Record the declaration' }));
    await assertNoErrors(page, 'recording a declaration');
    await page.goto(`${meetingPath}/record`);
    assert.match(await page.locator('#declarations + ul').innerText(), /Dr Amir Hassan.*Partner of Riverside Surgery/);
    await checkAccessibility(page, 'record the meeting after recording');
  });

  test('edits an agenda item after a mistake, and withdraws another', async () => {
    await page.goto(`${meetingPath}/manage`);
    await follow(page, page.getByRole('link', { name: /^Edit or withdraw\s*: Minutes of the meeting/ }));
    await checkAccessibility(page, 'edit an agenda item');
    await checkKeyboard(page, 'main form[action$="/items/' + page.url().split('/').at(-1) + '"]', 'edit an agenda item form');

    await page.getByLabel('Title', { exact: true }).fill('');   // the mistake
    await page.getByLabel('Category', { exact: true }).selectOption('governance');
    await follow(page, page.getByRole('button', { name: 'Save the item' }));
    await checkErrorSummaryFocused(page, 'edit an agenda item without a title');
    await checkAccessibility(page, 'edit an agenda item with errors');
    assert.equal(await page.getByLabel('Category', { exact: true }).inputValue(), 'governance', 'the category chosen is kept');

    await page.getByLabel('Title', { exact: true }).fill('Minutes of the meeting held on 8 October 2026, and matters arising');
    await follow(page, page.getByRole('button', { name: 'Save the item' }));
    await assertNoErrors(page, 'after editing an item');
    assert.match(await page.locator('#agenda + .probity-table-scroll').innerText(), /and matters arising/);

    await follow(page, page.getByRole('link', { name: /^Edit or withdraw\s*: Primary care finance report/ }));
    await checkKeyboard(page, 'main form[action$="/withdraw"]', 'withdraw an agenda item form');
    await follow(page, page.getByRole('button', { name: /^Withdraw this item/ }));
    await checkAccessibility(page, 'manage the meeting after withdrawing an item');
    assert.doesNotMatch(await page.locator('#agenda + .probity-table-scroll').innerText(), /Primary care finance report/);
  });

  test('marks the meeting held and publishes it; the public page shows the declarations', async () => {
    await page.goto(`${meetingPath}/manage`);
    await checkAccessibility(page, 'manage the meeting');
    await checkKeyboard(page, `form[action="${meetingPath}/items"]`, 'add an agenda item form');
    await follow(page, page.getByRole('button', { name: 'Mark the meeting as held' }));
    await page.goto(`${meetingPath}/manage`);
    await follow(page, page.getByRole('button', { name: 'Publish the meeting' }));
    await page.goto(`${meetingPath}/manage`);
    await assert.doesNotReject(page.getByText('This meeting has been published').first().waitFor());
    await page.goto(`${meetingPath}/minutes`);
    await checkAccessibility(page, 'the minutes');
    await page.context().close();

    // Marking it held opened draft breaches for the conflicted who declared nothing: governance
    // confirms or dismisses each with a form.
    const governance = await newPage(env);
    await signIn(governance, 'governance@northbrook.example');
    await governance.goto('/meetings/breaches');
    await checkAccessibility(governance, 'breaches register with drafts');
    assert.ok(await governance.locator('form[action^="/meetings/breaches/"]').count() > 0, 'a draft breach to decide');
    await checkKeyboard(governance, 'form[action^="/meetings/breaches/"] >> nth=0', 'breach outcome form');
    await governance.context().close();

    // Anyone can now read it.
    const visitor = await newPage(env);
    const response = await visitor.goto(meetingPath);
    assert.equal(response.status(), 200);
    await checkAccessibility(visitor, 'published meeting');
    await assert.doesNotReject(visitor.getByRole('heading', { name: 'Declarations of interest' }).waitFor());
    const section = (await visitor.locator('main').innerText()).split('\nDeclarations of interest\n').at(-1);
    assert.match(section, /Item \d+: Proposed merger of Riverside Surgery[^]*Dr Amir Hassan declared: Partner of Riverside Surgery/);
    assert.match(section, /decided by Margaret Ellison, chair/, "the chair's recorded decision is in the minutes");
    await visitor.context().close();
  });
});
