// An OpenID Connect provider for the SSO tests: oidc-provider (OpenID-certified) with
// its development login page, one confidential client and a small directory.
// Usage: node oidc_provider.mjs PORT CALLBACK_PATH
import Provider from 'oidc-provider';

const [port, callbackPath] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

// The login typed on the provider's page is the account id.
const directory = {
  ada: { given_name: 'Ada', family_name: 'Byron', email: 'ada@maine.edu', email_verified: true, department: 'Nursing' },
  grace: { given_name: 'Grace', family_name: 'Hopper', email: 'grace@maine.edu', email_verified: true, department: 'Computer Science' },
  unverified: { given_name: 'Una', family_name: 'Verified', email: 'una@maine.edu', email_verified: false, department: 'History' },
  office: { given_name: 'Olive', family_name: 'Office', email: 'olive@maine.edu', email_verified: true, department: 'Micro-credential office', groups: ['mc-office'] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'mc-tracker',
    client_secret: 'mc-tracker-test-secret',
    redirect_uris: [`http://testserver${callbackPath}`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name', 'department', 'groups'],
  },
  features: { devInteractions: { enabled: true } },
  // Every sign-in is a fresh one: the tests sign different people in.
  loadExistingGrant: async (ctx) => {
    const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const person = directory[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: `${person.given_name} ${person.family_name}`, ...person };
      },
    };
  },
});
// The browser test's live server takes a free port, unknown when this starts: any
// loopback host may receive the code at the site's callback path.
provider.Client.prototype.redirectUriAllowed = (uri) => {
  const url = new URL(uri);
  return ['testserver', 'localhost', '127.0.0.1'].includes(url.hostname)
    && url.pathname === callbackPath;
};
provider.Client.prototype.postLogoutRedirectUriAllowed = (uri) =>
  ['testserver', 'localhost', '127.0.0.1'].includes(new URL(uri).hostname);
provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
