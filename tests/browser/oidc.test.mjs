// Single sign-on in Chromium against a real OpenID provider (tests/oidc/provider.mjs): "Sign in
// with ..." on the sign-in page, the provider's own login and consent pages, and back to /my; a
// second visit reaches the same account; someone not on the register gets the page that tells
// them to ask their governance team. Probity checks the provider's certificate with the ca_file
// setting; only the browser is told to accept the test certificate.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkAccessibility, launchBrowser, newPage, sourceDir, startProbity } from './support.mjs';

const env = {};

before(async () => {
  env.provider = spawn(process.execPath, [path.join(sourceDir, 'tests/oidc/provider.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const started = await new Promise((resolve, reject) => {
    let out = '';
    env.provider.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
    env.provider.on('exit', (code) => reject(new Error(`the test OpenID provider exited (${code})`)));
  });
  process.env.PROBITY_TEST_OIDC_SECRET = started.client_secret;
  env.server = await startProbity({
    config: {
      oidc: {
        providers: [{
          id: 'test', display_name: 'Sign in with Test NHS', issuer: started.issuer, client_id: started.client_id,
          client_secret_env: 'PROBITY_TEST_OIDC_SECRET', ca_file: started.ca_file, allowed_email_domains: ['northbrook.example'],
        }],
      },
    },
  });
  env.url = env.server.url;
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  env.provider?.stdin.end();  // the provider stops when its stdin closes
});

/// From Probity's sign-in page through the provider's login and consent pages as `login`.
async function signInWithProvider(login, { check = false } = {}) {
  // The provider's self-signed certificate: accepted by this browser context only.
  const page = await newPage(env, { ignoreHTTPSErrors: true });
  // The provider's development pages ask for a web font from Google, which this network refuses.
  await page.context().route(/^https:\/\/fonts\.googleapis\.com\//, (r) => r.fulfill({ status: 200, contentType: 'text/css', body: '' }));
  await page.goto('/sign-in');
  if (check) await checkAccessibility(page, 'sign in with single sign-on offered');
  await page.getByRole('button', { name: 'Sign in with Test NHS' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();  // the provider's consent page
  await page.waitForURL((url) => url.href.startsWith(env.url));
  return page;
}

describe('single sign-on', { timeout: 60_000 }, () => {
  test('a member signs in with the provider, and a second visit reaches the same account', async () => {
    const page = await signInWithProvider('hassan', { check: true });
    assert.match(page.url(), /\/my$/);
    assert.match(await page.locator('.nhsuk-lede-text').innerText(), /Dr Amir Hassan/);
    await page.context().close();

    const again = await signInWithProvider('hassan');
    assert.match(again.url(), /\/my$/);
    assert.match(await again.locator('.nhsuk-lede-text').innerText(), /Dr Amir Hassan/);
    await again.context().close();
  });

  test('someone not on the register is told to ask their governance team, and is not signed in', async () => {
    const page = await signInWithProvider('stranger');
    assert.match(page.url(), /\/sign-in\/oidc\/callback/);
    assert.match(await page.locator('h1').innerText(), /Ask your governance team for access/);
    await checkAccessibility(page, 'not on the register');
    const my = await page.goto('/my');
    assert.match(page.url(), /\/sign-in\?next=/, `not signed in (got ${my.status()})`);
    await page.context().close();
  });
});
