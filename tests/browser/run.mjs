// `weft serve` in a real headless Chromium against the fake Salesforce: each credential type is
// added through its form, bad values show their problem and hint at the field, Test and Connect
// work, a canary secret never reaches a response or the page, and calls without the launch token
// or from another origin are refused.
//
// Environment: WEFT_BIN and FAKE_BIN (the built binaries), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT (optional: where to write a picture of a form). scripts/browser-test.sh sets them.
// Prints `ok`/`FAIL` per scenario and closes with `N passed, M failed`; exits 1 on any failure.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const keys = join(root, 'tests/fixtures/keys');
const PRIVATE_KEY = join(keys, 'test-rsa-pkcs8.pem');
const ENCRYPTED_KEY = join(keys, 'test-rsa-encrypted.pem');
// A line from the middle of the private key, and a client secret that is never valid: neither may
// ever come back from the server.
const KEY_CANARY = readFileSync(PRIVATE_KEY, 'utf8').split('\n')[5];
const SECRET_CANARY = 'canary-secret-5f1e9a7c3b';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run scripts/browser-test.sh)`);
  return value;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Starts `bin args` and resolves to the process and the first line it prints on stdout. */
function start(bin, args, env = {}) {
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} printed nothing in 30 s: ${stderr}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`${bin} exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolveLine({ child, line, stderr: () => stderr });
    });
  });
}

const fakeBin = need('FAKE_BIN');
const weftBin = need('WEFT_BIN');
const home = mkdtempSync(join(tmpdir(), 'weft-browser-'));
const fake = await start(fakeBin, ['--no-default-seed']);
const salesforce = JSON.parse(fake.line);
const weft = await start(weftBin, ['serve', '--no-open', '--port', '0'], {
  WEFT_HOME: home,
  WEFT_ENCRYPTION_KEY: 'browser-test-key',
});
const address = weft.line.trim();
const origin = new URL(address).origin;
const token = new URL(address).hash.replace('#token=', '');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_FLAGS,
});
const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
context.setDefaultTimeout(10_000);
const page = await context.newPage();
const bodies = [];
page.on('response', async (response) => {
  if (!response.url().startsWith(origin)) return;
  try {
    bodies.push(`${response.url()}\n${await response.text()}`);
  } catch {
    // redirects have no body
  }
});
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
await page.goto(address);

// ---- helpers -------------------------------------------------------------------------------

async function openForm(type) {
  await page.selectOption('#type-select', type);
  await page.locator(`section.editor[data-type="${type}"]`).waitFor();
}

/** The form group (label, input, help, problems) of field `name`. */
function group(name) {
  return page.locator(`.form-group:has(> * #root_${name}), .form-group:has(#root_${name})`).last();
}

async function fill(fields) {
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'name') await page.fill('#credential-name', value);
    else await page.fill(`#root_${name}`, value);
  }
}

async function save() {
  await page.click('#save');
  await page.locator('#save-status:not(:has-text("Saving"))').waitFor();
  return page.locator('#save-status').innerText();
}

function row(name) {
  return page.locator(`tr[data-credential="${name}"]`);
}

async function test(name) {
  await row(name).locator('button.test').click();
  const result = row(name).locator('.last-result .result');
  await result.waitFor({ timeout: 20_000 });
  return result.innerText();
}

async function expectProblem(field, message, hint) {
  const text = await group(field).locator('ul.problems').innerText();
  check(text.includes(message), `${field}: expected "${message}", got: ${text}`);
  check(text.includes(`hint: ${hint}`), `${field}: expected the hint "${hint}", got: ${text}`);
}

// ---- scenarios -----------------------------------------------------------------------------

const scenarios = [];
const scenario = (name, body) => scenarios.push({ name, body });

scenario('the page lists every registered type and draws its form from the schema', async () => {
  // The list is filled after the page loads: wait for it instead of counting too early.
  await page.locator('#type-select option:not([disabled])').first().waitFor({ state: 'attached' });
  const options = await page.locator('#type-select option:not([disabled])').allInnerTexts();
  check(options.length === 12, `twelve types (three Salesforce, six generic HTTP, generic OAuth2, SMTP, IMAP), got ${options}`);
  await openForm('salesforceJwtApi');
  const text = await page.locator('section.editor').innerText();
  for (const label of ['Client ID', 'Username', 'Private Key', 'My Domain URL', 'Environment Type', 'Consumer Key from Salesforce Connected App']) {
    check(text.includes(label), `label or help "${label}" missing`);
  }
  check((await page.inputValue('#root_environment')) !== '', 'the environment has its default');
  check((await page.inputValue('#root_apiVersion')) === '66.0', 'the API version has its default');
  check((await page.getAttribute('#root_privateKey', 'type')) === 'password', 'the key is a password field');
  check((await page.locator('#root_accessToken, #root_instanceUrl').count()) === 0, 'hidden fields are not drawn');
  check((await page.locator('#root_audience').count()) === 0, 'audience appears only with a My Domain URL');
  await page.fill('#root_myDomainUrl', salesforce.instance_url);
  await page.locator('#root_audience').waitFor();
});

scenario('a JWT credential is added through its form, the key chosen from a file', async () => {
  await openForm('salesforceJwtApi');
  await fill({ name: 'jwt', clientId: 'weft-test-client', username: 'integration@example.com', myDomainUrl: salesforce.instance_url });
  await page.setInputFiles('#root_privateKey__file', PRIVATE_KEY);
  await page.waitForFunction(() => document.querySelector('#root_privateKey').value.length > 100);
  const status = await save();
  check(status.includes('Saved'), status);
  await row('jwt').waitFor();
  check(!(await page.content()).includes(KEY_CANARY), 'the key is in the page after saving');
});

scenario('a private key pasted into its password field works too (line breaks and all)', async () => {
  await openForm('salesforceJwtApi');
  await fill({ name: 'jwt-pasted', clientId: 'weft-test-client', username: 'integration@example.com', myDomainUrl: salesforce.instance_url });
  await page.fill('#root_privateKey', readFileSync(PRIVATE_KEY, 'utf8'));
  check((await save()).includes('Saved'), 'saved');
  const result = await test('jwt-pasted');
  check(result.includes('works: user integration@example.com'), result);
});

scenario('Test succeeds for a good credential and shows the user and org', async () => {
  const result = await test('jwt');
  check(result.includes('works: user integration@example.com') && result.includes('org 00D'), result);
});

scenario('an encrypted private key is refused at its field with the hint', async () => {
  await openForm('salesforceJwtApi');
  await fill({ name: 'encrypted', clientId: 'weft-test-client', username: 'integration@example.com' });
  await page.setInputFiles('#root_privateKey__file', ENCRYPTED_KEY);
  await page.waitForFunction(() => document.querySelector('#root_privateKey').value.length > 100);
  const status = await save();
  check(status.includes('not valid'), status);
  await expectProblem('privateKey', 'is encrypted with a passphrase', 'remove the passphrase');
  check((await row('encrypted').count()) === 0, 'nothing was stored');
});

scenario('the generic HTTP types draw their forms from the schema and test as data only', async () => {
  await openForm('httpHeaderAuth');
  const text = await page.locator('section.editor').innerText();
  for (const label of ['Name', 'Value', 'Allowed HTTP Request Domains']) {
    check(text.includes(label), `Header Auth: label "${label}" missing`);
  }
  check((await page.getAttribute('#root_value', 'type')) === 'password', 'the header value is a password field');
  check((await page.locator('#root_allowedDomains').count()) === 0, 'allowed domains appear only for specific domains');
  await page.fill('#credential-name', 'header');
  await page.fill('#root_name', 'X-Api-Key');
  await page.fill('#root_value', 'canary-header-value');
  check((await save()).includes('Saved'), 'the header credential is saved');
  const result = await test('header');
  check(result.includes('not tested against a server'), `a static type tests as data: ${result}`);
  check(!(await page.content()).includes('canary-header-value'), 'the page never shows the stored value');
});

scenario('a client credentials credential is added through its form and tested', async () => {
  await openForm('salesforceClientCredentialsApi');
  await fill({ name: 'cc', url: salesforce.instance_url, clientId: 'weft-test-client', clientSecret: 'weft-test-secret' });
  check((await save()).includes('Saved'), 'saved');
  const result = await test('cc');
  check(result.includes('works: user integration@example.com'), result);
});

scenario('a Lightning host and a generic login host are refused at the URL field with the hint', async () => {
  await openForm('salesforceClientCredentialsApi');
  await fill({ name: 'lightning', url: 'https://acme.lightning.force.com', clientId: 'x', clientSecret: SECRET_CANARY });
  await save();
  await expectProblem('url', 'is a Lightning UI host', 'use the My Domain URL instead');
  await fill({ url: 'https://login.salesforce.com' });
  await save();
  await expectProblem('url', 'is a generic login host', 'client credentials only work on your My Domain');
  check(!(await page.content()).includes(SECRET_CANARY), 'a typed secret is in the page source');
});

scenario('Test shows Salesforce’s answer and the hint for a bad client id', async () => {
  await openForm('salesforceClientCredentialsApi');
  await fill({ name: 'bad-client', url: salesforce.instance_url, clientId: 'no-such-client', clientSecret: SECRET_CANARY });
  check((await save()).includes('Saved'), 'saved');
  const result = await test('bad-client');
  check(result.startsWith('✗') && result.includes('hint:'), result);
  check(result.includes('invalid_client'), result);
});

scenario('editing keeps the stored secret unless a new one is typed', async () => {
  await row('cc').locator('button.edit').click();
  await page.locator('section.editor h2:has-text("Edit")').waitFor();
  // The stored values arrive after the heading: renaming before they do would be overwritten.
  await page.waitForFunction(() => document.querySelector('#credential-name')?.value === 'cc');
  check((await page.inputValue('#root_clientSecret')) === '', 'a stored secret is never sent back');
  const placeholder = await page.getAttribute('#root_clientSecret', 'placeholder');
  check(placeholder.includes('stored'), placeholder);
  await fill({ name: 'cc-renamed' });
  check((await save()).includes('Saved'), 'saved');
  await row('cc-renamed').waitFor();
  const result = await test('cc-renamed');
  check(result.includes('works'), `the stored secret was kept: ${result}`);
});

scenario('an OAuth2 credential connects by approving on the authorize page', async () => {
  await openForm('salesforceOAuth2Api');
  const redirect = await page.locator('#redirect-uri').innerText();
  check(redirect === `${origin}/callback`, `redirect URI shown: ${redirect}`);
  await fill({ name: 'oauth', clientId: 'weft-test-client', clientSecret: 'weft-test-secret', myDomainUrl: salesforce.login_url });
  check((await save()).includes('Saved'), 'saved');
  await row('oauth').locator('button.connect').click();
  await page.waitForURL((url) => url.href.startsWith(salesforce.login_url));
  await page.locator('h1:has-text("Allow Access?")').waitFor();
  await page.fill('input[name="username"]', 'integration@example.com');
  await page.click('button[value="approve"]');
  await page.waitForURL((url) => url.href.startsWith(origin));
  const connected = row('oauth').locator('.last-result .result');
  await connected.waitFor();
  const text = await connected.innerText();
  check(text.includes(`connected: now reaches ${salesforce.instance_url}`), text);
  const tested = await test('oauth');
  check(tested.includes('works: user integration@example.com'), tested);
});

scenario('a generic OAuth2 credential is drawn, saved, and offers Connect only for a browser grant', async () => {
  await openForm('oAuth2Api');
  const redirect = await page.locator('#redirect-uri').innerText();
  check(redirect === `${origin}/callback`, `redirect URI shown: ${redirect}`);
  const grant = await page.locator('#root_grantType option:checked').innerText();
  check(grant === 'Authorization Code', `n8n's default grant: ${grant}`);
  for (const label of ['Authorization URL', 'Access Token URL', 'Client ID', 'Client Secret', 'Scope', 'Auth URI Query Parameters']) {
    check(await page.locator(`label:has-text("${label}")`).count() > 0, `the form draws ${label}`);
  }
  check((await page.locator('#root_oauthTokenData').count()) === 0, 'the token data is not drawn');
  await fill({
    name: 'generic-code',
    authUrl: `${salesforce.login_url}/services/oauth2/authorize`,
    accessTokenUrl: `${salesforce.login_url}/services/oauth2/token`,
    clientId: 'weft-test-client',
    clientSecret: SECRET_CANARY,
    scope: 'read write',
    authQueryParameters: 'access_type=offline',
  });
  check((await save()).includes('Saved'), 'saved');
  await row('generic-code').locator('button.connect').waitFor();

  await openForm('oAuth2Api');
  await page.selectOption('#root_grantType', { label: 'Client Credentials' });
  check((await page.locator('#root_authUrl').count()) === 0, 'no authorization URL for client credentials');
  await fill({ name: 'generic-cc', accessTokenUrl: 'http://example.com/token', clientId: 'weft-test-client', clientSecret: SECRET_CANARY });
  await save();
  await expectProblem('accessTokenUrl', 'uses plain http on a host that is not loopback', 'use https');
  await fill({ accessTokenUrl: `${salesforce.login_url}/services/oauth2/token` });
  check((await save()).includes('Saved'), 'saved');
  await row('generic-cc').waitFor();
  check((await row('generic-cc').locator('button.connect').count()) === 0, 'no Connect for client credentials');
});

scenario('no canary secret appears in any response body or the page source', async () => {
  for (const name of ['jwt', 'bad-client', 'oauth', 'generic-code', 'generic-cc']) {
    await row(name).locator('button.edit').click();
    await page.locator(`section.editor h2:has-text("${name}")`).waitFor();
    const html = await page.content();
    for (const canary of [KEY_CANARY, SECRET_CANARY, 'weft-test-secret']) {
      check(!html.includes(canary), `${name}: a secret is in the page source`);
    }
  }
  check(bodies.length > 10, `responses were recorded (${bodies.length})`);
  for (const body of bodies) {
    for (const canary of [KEY_CANARY, SECRET_CANARY, 'weft-test-secret']) {
      check(!body.includes(canary), `a secret (${canary.slice(0, 12)}…) in a response: ${body.slice(0, 200)}`);
    }
  }
});

scenario('calls without the launch token, from another origin or to another host are refused', async () => {
  const call = (path, init = {}) => fetch(`${origin}${path}`, init);
  const bearer = { Authorization: `Bearer ${token}` };
  check((await call('/api/credentials')).status === 401, 'no token: 401');
  check((await call('/api/credentials', { headers: { Authorization: 'Bearer 00' } })).status === 401, 'wrong token: 401');
  const foreign = await call('/api/credentials', {
    method: 'POST',
    headers: { ...bearer, Origin: 'http://evil.example', 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'salesforceJwtApi', name: 'x', data: {} }),
  });
  check(foreign.status === 403, `another origin: ${foreign.status}`);
  // A page of another origin (the fake's) cannot read the API, even knowing the token.
  await page.goto(`${salesforce.login_url}/services/oauth2/authorize`);
  const crossOrigin = await page.evaluate(async ([url, auth]) => {
    try {
      const response = await fetch(url, { headers: { Authorization: auth } });
      return `status ${response.status}`;
    } catch (error) {
      return `refused: ${error.message}`;
    }
  }, [`${origin}/api/credentials`, bearer.Authorization]);
  check(crossOrigin.startsWith('refused'), `cross-origin fetch: ${crossOrigin}`);
  await page.goto(origin);
});

scenario('the page ran without script errors under the Content-Security-Policy', async () => {
  check(pageErrors.length === 0, pageErrors.join('\n'));
});

// ---- run -----------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
const began = Date.now();
for (const { name, body } of scenarios) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL - ${name}: ${error.message.split('\n').join('\n    ')}`);
    await page.screenshot({ path: join(home, `failure-${failed}.png`) }).catch(() => {});
  }
}
if (process.env.SCREENSHOT && failed === 0) {
  await page.goto(origin);
  await page.locator('tr[data-credential="jwt"]').waitFor();
  await openForm('salesforceJwtApi');
  await fill({ name: 'production', clientId: '3MVG9…', username: 'integration@acme.example', myDomainUrl: 'https://acme.my.salesforce.com' });
  await page.locator('#root_audience').waitFor();
  await page.setViewportSize({ width: 860, height: 900 });
  await page.locator('section.editor').screenshot({ path: process.env.SCREENSHOT, type: 'png' });
}
await browser.close();
weft.child.kill('SIGTERM');
fake.child.kill('SIGTERM');
const weftExit = await new Promise((done) => weft.child.once('exit', (code, signal) => done(code ?? signal)));
if (weftExit !== 0) {
  failed += 1;
  console.log(`FAIL - weft serve stops cleanly on SIGTERM: exit ${weftExit}\n    ${weft.stderr()}`);
} else {
  passed += 1;
  console.log('ok - weft serve stops cleanly on SIGTERM');
}
if (failed === 0) rmSync(home, { recursive: true, force: true });
else console.log(`(screenshots of failures and the store are in ${home})`);
console.log(`browser suite took ${((Date.now() - began) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
