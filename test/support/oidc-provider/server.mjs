// A real OpenID provider for the sign-in suites, run with `node` in its own process so that Jest never loads it.
// Settings come as one JSON argument: { clientId, clientSecret, redirectUri, accounts: [{ email, password, name,
// emailVerified? }] }. It binds 127.0.0.1 on a free port and prints one JSON line, { "issuer": "http://…" }.
// Its login page is a plain form (no outside fonts or scripts): Email, Password, Sign in; consent is implied.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import { URLSearchParams } from 'node:url';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const accounts = new Map(settings.accounts.map((account) => [account.email.toLowerCase(), account]));

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function loginPage(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><h1>Test identity provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input type="email" name="email" required></label>
<label>Password <input type="password" name="password" required></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function formBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

let provider;
const http = createServer(async (req, res) => {
  try {
    const login = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url.split('?')[0]);
    if (!login) return provider.callback()(req, res);
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(loginPage(details.uid));
    }
    const form = await formBody(req);
    const account = accounts.get((form.get('email') ?? '').toLowerCase());
    if (!account || account.password !== form.get('password')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(loginPage(details.uid, 'Wrong email or password.'));
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.email.toLowerCase() } });
  } catch (error) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(String(error));
  }
});

http.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${http.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        redirect_uris: [settings.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Like Entra ID and Google: the ID token itself carries the email and name.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: `subject-${id}`,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
        }),
      };
    },
    // The client is the provider's own: no consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
