// A real OpenID provider for the tests: node-oidc-provider (npm `oidc-provider`, pinned in
// package-lock.json) on 127.0.0.1. tests/sso/conftest.py starts it with its settings in the
// OIDC_TEST_SETTINGS environment variable (JSON):
//   { "port": 5001, "clients": [{ "client_id", "client_secret", "redirect_uris": [...] }],
//     "accounts": { "<login>": { "email", "email_verified", "name" } } }
// Its development login page takes any password: the login typed names the account. Consent
// is granted ahead (SalesRamp is the organisation's own client), so signing in is one page.
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_SETTINGS);
const issuer = `http://127.0.0.1:${settings.port}`;

const provider = new Provider(issuer, {
  clients: settings.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  cookies: { keys: ['salesramp-test-provider-only'] },
  async findAccount(ctx, id) {
    const account = settings.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});

provider.listen(settings.port, '127.0.0.1', () => {
  console.log(`oidc-provider ready at ${issuer}`);
});
