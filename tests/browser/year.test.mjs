// The declaration year, end to end with real mail: governance creates an account for a newcomer
// who has never declared; the invitation arrives at a real SMTP server (tests/smtp_test_server.py,
// aiosmtpd) started by this test; the newcomer sets a password from the link in that message,
// makes their annual return, and the compliance dashboard moves them from "Never declared" to
// "Up to date". Every page on the way passes axe.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkAccessibility, follow, launchBrowser, newPage, signIn, sourceDir, startProbity } from './support.mjs';

const env = {};
const newcomer = 'priya.shah@northbrook.example';
const password = 'seven lanterns over the quay';

before(async () => {
  env.mailDir = await mkdtemp(path.join(tmpdir(), 'probity-smtp-'));
  env.smtp = spawn('/usr/bin/python3', [path.join(sourceDir, 'tests/smtp_test_server.py'), '--dir', env.mailDir],
                   { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    env.smtp.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/PORT (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    env.smtp.on('exit', (code) => reject(new Error(`the test SMTP server exited (${code})`)));
  });
  env.server = await startProbity({
    config: {
      mail: { smtp_url: `smtp://127.0.0.1:${port}`, starttls: 'off', from_address: 'probity@northbrook.example', poll_seconds: 1 },
    },
  });
  env.url = env.server.url;
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  if (env.smtp && env.smtp.exitCode === null) {
    const exited = new Promise((r) => env.smtp.once('exit', r));
    env.smtp.kill('SIGTERM');  // it writes its count into the directory as it stops
    await exited;
  }
  await rm(env.mailDir, { recursive: true, force: true });
});

/// Quoted-printable (RFC 2045) back to text: soft line breaks and =XX bytes, as UTF-8.
function decodeQuotedPrintable(text) {
  const bytes = [];
  const body = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '=' && /^[0-9A-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(body[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/// The first message the SMTP server received for `address`, waiting for the sender to deliver it.
async function messageTo(address, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const name of (await readdir(env.mailDir)).filter((n) => n.endsWith('.json')).sort()) {
      const mail = JSON.parse(await readFile(path.join(env.mailDir, name), 'utf8'));
      if (mail.rcpt_tos.includes(address)) return { ...mail, text: decodeQuotedPrintable(mail.data) };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no message for ${address} within ${timeoutMs} ms`);
}

describe('a newcomer is invited by email, sets a password and makes their return', { timeout: 120_000 }, () => {
  test('governance creates the account; the invitation arrives by SMTP; the newcomer declares; the dashboard turns green', async () => {
    const governance = await newPage(env);
    await signIn(governance, 'governance@northbrook.example');
    await governance.goto('/governance/compliance');
    await checkAccessibility(governance, 'compliance dashboard');
    const section = async (key) => (await (await governance.request.get('/api/v1/governance/compliance')).json())
      .sections.find((s) => s.key === key).people.map((p) => p.name);
    assert.ok((await section('never_declared')).includes('Priya Shah'), 'the newcomer starts as never declared');

    // The server's own reminder pass ran when it started: Dr Kowalski, overdue with an undeclared
    // interest, has had a reminder by email.
    const reminder = await messageTo('kowalski@northbrook.example');
    assert.match(reminder.text, /Subject: Your declaration of interests is overdue/);
    assert.match(reminder.text, /days overdue|overdue since \d{1,2} [A-Z][a-z]+ \d{4}/);

    await governance.goto('/governance');
    await governance.getByLabel('Email address').fill(newcomer);
    await governance.getByLabel('Person on the register').selectOption({ label: 'Priya Shah' });
    await governance.getByLabel('Role').selectOption('member');
    await follow(governance, governance.getByRole('button', { name: 'Create account and link' }));
    assert.match(await governance.locator('main').innerText(), /We have emailed them an invitation/);

    const invitation = await messageTo(newcomer);
    assert.match(invitation.text, /Subject: Set up your account/);
    const link = invitation.text.match(/https?:\/\/[^\s"<]+\/set-password\/[0-9A-Za-z_-]+/)?.[0];
    assert.ok(link, 'the invitation holds a set-password link');

    const member = await newPage(env);
    await member.goto(new URL(link).pathname);  // the link names the configured base URL; use this server
    await checkAccessibility(member, 'set password from the invitation');
    await member.getByLabel('New password').fill(password);
    await member.getByLabel('Type the password again').fill(password);
    await follow(member, member.getByRole('button', { name: 'Set password' }));
    await signIn(member, newcomer, password);
    await member.waitForURL(/\/my$/);
    assert.match(await member.locator('main').innerText(), /Overdue since|overdue/i, 'the member is told they are overdue');

    await member.goto('/my/confirmation');
    await checkAccessibility(member, 'annual confirmation with no entries');
    await follow(member, member.getByRole('link', { name: 'Make a nil return' }));
    await member.getByLabel('I confirm this statement is true').check();
    await follow(member, member.getByRole('button', { name: 'Make nil return' }));
    await member.goto('/my');
    assert.doesNotMatch(await member.locator('main').innerText(), /Overdue since/, 'no longer overdue');

    await governance.goto('/governance/compliance');
    await checkAccessibility(governance, 'compliance dashboard after the return');
    assert.ok((await section('up_to_date')).includes('Priya Shah'), 'the dashboard lists the newcomer as up to date');
    assert.ok(!(await section('never_declared')).includes('Priya Shah'), 'and no longer as never declared');
  });
});
