// Each body's public register in the browser: /bodies and the register's Body filter
// pass axe, at page width and at 320 px, and the filter works without JavaScript. The server is
// the demo's register (three bodies: the Northbrook CCG, NHS Southvale CCG and NHS England) with
// two more written into its database before it starts: NHS Westbrook CCG, published here (no
// people yet), and NHS Eastbrook Integrated Care Board, published elsewhere. Only the bodies tables are written, which no trigger needing Probity's own
// SQL functions reads; the people stay in the default body.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkAccessibility, follow, launchBrowser, newPage, sourceDir } from './support.mjs';

const env = {};

before(async () => {
  const bin = process.env.PROBITY_BIN;
  assert.ok(bin, 'set PROBITY_BIN to the probity binary to test (ctest does this)');
  env.dir = await mkdtemp(path.join(tmpdir(), 'probity-bodies-'));
  const db = path.join(env.dir, 'probity.db');
  const args = ['--config', 'config/probity.json', '--database', db];
  execFileSync(bin, [...args, 'demo'], { cwd: sourceDir, stdio: 'ignore' });
  const sql = `
    INSERT INTO bodies (id, ref, created_at) VALUES (4, 'westbrook', '2026-01-01T00:00:00Z'), (5, 'eastbrook', '2026-01-01T00:00:00Z');
    INSERT INTO body_versions (body_id, version, name, ods_code, kind, publication, register_url, recorded_at, recorded_by)
      VALUES (4, 1, 'NHS Westbrook CCG', 'W1X', 'ccg', 'here', '', '2026-01-01T00:00:00Z', 'test'),
             (5, 1, 'NHS Eastbrook Integrated Care Board', 'E5X', 'icb', 'elsewhere', 'https://eastbrook.example.nhs.uk/register',
              '2026-01-01T00:00:00Z', 'test');`;
  execFileSync('/usr/bin/python3', ['-c', 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()', db, sql]);
  const child = spawn(bin, [...args, 'serve', '--port', '0'], { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  env.child = child;
  let stdout = '';
  env.url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/Probity is serving .* at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`probity exited (${code}) before serving:\n${stdout}`)));
  });
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  if (env.child && env.child.exitCode === null) {
    const exited = new Promise((r) => env.child.once('exit', r));
    env.child.kill('SIGTERM');
    await exited;
  }
  if (env.dir) await rm(env.dir, { recursive: true, force: true });
});

describe('each body\'s register', () => {
  test('/bodies lists the bodies and links to each register; the Body filter narrows the register', async () => {
    const page = await newPage(env);
    const bodies = await page.goto('/bodies');
    assert.equal(bodies.status(), 200);
    await checkAccessibility(page, 'bodies');
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Bodies' }).waitFor());
    assert.equal(await page.getByRole('cell', { name: 'Clinical commissioning group', exact: true }).count(), 3, 'kinds in words');
    await assert.doesNotReject(page.getByRole('cell', { name: 'NHS England', exact: true }).first().waitFor());
    const elsewhere = page.getByRole('link', { name: /Published elsewhere/ });
    assert.equal(await elsewhere.getAttribute('href'), 'https://eastbrook.example.nhs.uk/register');

    await page.goto('/register');
    await checkAccessibility(page, 'register with several bodies');
    const all = await page.locator('#results-count').innerText();
    assert.match(all, /^\d+ entries/);
    await page.getByLabel('Body', { exact: true }).selectOption({ label: 'NHS Westbrook CCG' });
    await follow(page, page.getByRole('button', { name: 'Apply filters' }));
    assert.equal(new URL(page.url()).searchParams.get('body'), '4');
    await checkAccessibility(page, 'register of one body');
    assert.equal(await page.locator('#results-count').innerText(), 'No entries match these filters.');
    assert.equal(await page.getByLabel('Body', { exact: true }).locator('option:checked').innerText(), 'NHS Westbrook CCG');

    await page.getByLabel('Body', { exact: true }).selectOption({ label: 'All bodies' });
    await follow(page, page.getByRole('button', { name: 'Apply filters' }));
    assert.equal(await page.locator('#results-count').innerText(), all, 'all bodies is the combined register');
  });

  test('the Body filter works without JavaScript', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    await page.goto('/register');
    await page.getByLabel('Body', { exact: true }).selectOption({ label: 'NHS Eastbrook Integrated Care Board' });
    await follow(page, page.getByRole('button', { name: 'Apply filters' }));
    await assert.doesNotReject(page.getByText('NHS Eastbrook Integrated Care Board publishes its register at').waitFor());
  });
});
