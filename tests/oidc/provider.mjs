// A real OpenID provider for the sign-in tests: oidc-provider (OpenID Certified), over HTTPS on a
// free loopback port, with a self-signed certificate made here with openssl. Probity trusts it
// through the provider's ca_file setting; nothing turns certificate checks off.
//
//   node tests/oidc/provider.mjs
//
// Prints one line of JSON once it listens, {"issuer": "https://127.0.0.1:PORT", "ca_file": PATH,
// "client_id", "client_secret"}, and runs until stdin closes or it gets SIGTERM (it then removes
// its temporary directory). The login page (oidc-provider's development interactions) takes any
// password; the login names are the test users below.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';

// stdout carries the one line the test reads (which may stop reading after it); oidc-provider's
// notices about its development-only settings would otherwise go there too.
console.log = console.info = console.warn = () => {};

const dir = mkdtempSync(path.join(tmpdir(), 'probity-oidc-'));
const key = path.join(dir, 'key.pem');
const cert = path.join(dir, 'cert.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
  '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });

// The test users: one on the register (Dr Amir Hassan in the demo data), one who is not, one
// whose provider does not vouch for the email (Dr Tom Fletcher's address, unverified), and one
// with an address outside the allowed domains.
const users = {
  hassan: { email: 'hassan@northbrook.example', email_verified: true, name: 'Amir Hassan' },
  stranger: { email: 'stranger@northbrook.example', email_verified: true, name: 'Sam Stranger' },
  unverified: { email: 'fletcher@northbrook.example', email_verified: false, name: 'Tom Fletcher' },
  outsider: { email: 'hassan@elsewhere.example', email_verified: true, name: 'Amir Hassan' },
};

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const clientId = 'probity';
const clientSecret = 'probity-test-secret-not-for-use';

const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) });
server.listen(0, '127.0.0.1', () => {
  const issuer = `https://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      // Native: oidc-provider then accepts the loopback redirect URI on any port (RFC 8252
      // section 7.3), so the test need not know Probity's port in advance.
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/sign-in/oidc/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...signing, kid: 'test-key-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['probity-oidc-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The ID token carries the email claims, as Entra ID's does when configured so; Probity reads
    // the ID token only.
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(ctx, id) {
      const user = users[id];
      if (!user) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...user }; } };
    },
  });
  provider.on('server_error', (ctx, err) => process.stderr.write(`provider error: ${err.stack}\n`));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, ca_file: cert, client_id: clientId, client_secret: clientSecret })}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections?.();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
