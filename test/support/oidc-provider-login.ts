/**
 * Signs in at the test OpenID provider's login form the way a browser would, with its own cookies, starting
 * from the authorization URL; answers the address the provider sends the browser back to (the callback).
 */
export async function loginAtProvider(authorizationUrl: string, email: string, password: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const separator = pair.indexOf('=');
      cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    return response;
  };
  let response = await send(authorizationUrl);
  let url = authorizationUrl;
  // To the login form, sign in there, and follow the provider's redirects until it leaves for the callback.
  for (let step = 0; step < 10; step++) {
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== new URL(authorizationUrl).origin) return next;
      url = next.href;
      response = await send(url);
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action)
      throw new Error(`The provider answered ${response.status} without a login form: ${page.slice(0, 300)}`);
    if (/role="alert"/.test(page)) throw new Error('The provider refused the email and password');
    url = new URL(action, url).href;
    response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    });
  }
  throw new Error('The provider never sent the browser back');
}
