// Conformance of weft's fake Salesforce, checked by an independent client: jsforce.
// Usage: node conformance.mjs <login_url> <instance_url> <admin_url>
// Prints one line per check and a final "N passed, M failed" line; exits non-zero on failure.

import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsforce from 'jsforce';

const [loginUrl, instanceUrl, adminUrl] = process.argv.slice(2);
if (!adminUrl) {
  console.error('usage: node conformance.mjs <login_url> <instance_url> <admin_url>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const privateKey = readFileSync(join(here, '..', 'fixtures', 'keys', 'test-rsa-pkcs8.pem'), 'utf8');
const CLIENT_ID = 'weft-test-client';
const CLIENT_SECRET = 'weft-test-secret';
const USERNAME = 'integration@example.com';
const VERSION = '66.0';

const b64url = (data) => Buffer.from(data).toString('base64url');

/** A JWT bearer assertion signed with the test key (RS256), as a client builds it. */
function assertion(audience) {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(JSON.stringify({
    iss: CLIENT_ID, sub: USERNAME, aud: audience, exp: Math.floor(Date.now() / 1000) + 180,
  }));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  return `${header}.${claims}.${signer.sign(privateKey).toString('base64url')}`;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let passed = 0;
let failed = 0;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}: ${err && err.stack ? err.stack : err}`);
  }
}

async function admin(path, method = 'POST', body) {
  const response = await fetch(`${adminUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status >= 300) throw new Error(`admin ${path}: ${response.status}`);
  return response.status === 204 || response.status === 201 ? null : response.json();
}

/** A connection logged in with the JWT bearer grant; re-mints a token when the session expires. */
async function jwtConnection() {
  const conn = new jsforce.Connection({
    loginUrl: instanceUrl,
    version: VERSION,
    refreshFn: (c, callback) => {
      c.oauth2.requestToken({ grant_type: JWT_GRANT, assertion: assertion(loginUrl) })
        .then((res) => callback(null, res.access_token, res), (err) => callback(err));
    },
  });
  await conn.authorize({ grant_type: JWT_GRANT, assertion: assertion(loginUrl) });
  return conn;
}

let conn;

await check('JWT bearer through authorize() with a self-signed assertion', async () => {
  conn = await jwtConnection();
  assert(conn.accessToken && conn.accessToken.startsWith('00D'), `token ${conn.accessToken}`);
  assert(conn.instanceUrl === instanceUrl, `instanceUrl ${conn.instanceUrl}`);
  assert(conn.userInfo && conn.userInfo.organizationId.startsWith('00D'), 'organization id from the identity URL');
});

await check('JWT bearer with a wrong audience is refused', async () => {
  const other = new jsforce.Connection({ loginUrl: instanceUrl, version: VERSION });
  let error;
  try {
    await other.authorize({ grant_type: JWT_GRANT, assertion: assertion('https://wrong.example') });
  } catch (err) {
    error = err;
  }
  assert(error, 'no error');
  assert(String(error.name).includes('invalid_grant') || String(error.message).includes('audience is invalid'),
    `unexpected error ${error.name}: ${error.message}`);
});

await check('client credentials on My Domain', async () => {
  const cc = new jsforce.Connection({
    oauth2: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: instanceUrl },
    version: VERSION,
  });
  await cc.authorize({ grant_type: 'client_credentials' });
  assert(cc.accessToken, 'no access token');
  const limits = await cc.limits();
  assert(limits.DailyApiRequests.Max > 0, 'limits');
});

await check('identity of the session', async () => {
  const identity = await conn.identity();
  assert(identity.username === USERNAME, `username ${identity.username}`);
});

await check('query fetched across several pages', async () => {
  const soql = 'SELECT Id, Name, CreatedDate FROM Account ORDER BY CreatedDate';
  let result = await conn.query(soql);
  assert(result.totalSize === 4500, `totalSize ${result.totalSize}`);
  let records = result.records.length;
  let pages = 1;
  while (!result.done) {
    result = await conn.queryMore(result.nextRecordsUrl);
    records += result.records.length;
    pages += 1;
  }
  assert(records === 4500 && pages === 3, `${records} records in ${pages} pages`);
  const all = await conn.query(soql).run({ autoFetch: true, maxFetch: 10000 });
  assert(all.records.length === 4500, `autoFetch got ${all.records.length}`);
  assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/.test(all.records[0].CreatedDate), 'datetime format');
});

let createdId;
await check('create', async () => {
  const res = await conn.sobject('Account').create({ Name: 'Conformance Inc', Industry: 'Banking' });
  assert(res.success && res.id && res.id.length === 18 && res.id.startsWith('001'), JSON.stringify(res));
  createdId = res.id;
  const record = await conn.sobject('Account').retrieve(createdId);
  assert(record.Name === 'Conformance Inc' && record.Industry === 'Banking', JSON.stringify(record));
});

await check('update', async () => {
  const res = await conn.sobject('Account').update({ Id: createdId, Name: 'Conformance LLC' });
  assert(res.success, JSON.stringify(res));
  const record = await conn.sobject('Account').retrieve(createdId);
  assert(record.Name === 'Conformance LLC', record.Name);
});

await check('upsert by external id: insert then update', async () => {
  const first = await conn.sobject('Account').upsert({ Name: 'Upserted', External_Id__c: 'CONF-1' }, 'External_Id__c');
  assert(first.success && first.created === true, JSON.stringify(first));
  const second = await conn.sobject('Account').upsert({ Name: 'Upserted 2', External_Id__c: 'CONF-1' }, 'External_Id__c');
  assert(second.success && second.created === false && second.id === first.id, JSON.stringify(second));
});

await check('collections create and delete', async () => {
  const results = await conn.sobject('Contact').create([{ LastName: 'One' }, { LastName: 'Two' }]);
  assert(results.length === 2 && results.every((r) => r.success), JSON.stringify(results));
  const deleted = await conn.sobject('Contact').destroy(results.map((r) => r.id));
  assert(deleted.every((r) => r.success), JSON.stringify(deleted));
});

await check('delete', async () => {
  const res = await conn.sobject('Account').destroy(createdId);
  assert(res.success, JSON.stringify(res));
  let error;
  try {
    await conn.sobject('Account').retrieve(createdId);
  } catch (err) {
    error = err;
  }
  assert(error && error.errorCode === 'ENTITY_IS_DELETED', `expected ENTITY_IS_DELETED, got ${error && error.errorCode}`);
});

await check('describe', async () => {
  const describe = await conn.sobject('Account').describe();
  assert(describe.name === 'Account' && describe.fields.some((f) => f.name === 'External_Id__c' && f.externalId), 'fields');
});

await check('an expired session is re-established transparently', async () => {
  const before = conn.accessToken;
  await admin('/sessions/expire');
  const result = await conn.query('SELECT Id FROM Account LIMIT 1');
  assert(result.records.length === 1, 'query after refresh');
  assert(conn.accessToken !== before, 'a new access token was minted');
  const counters = await admin('/counters', 'GET');
  assert(counters.token_requests[JWT_GRANT] >= 2, JSON.stringify(counters));
});

await check('a revoked session is re-established mid-pagination', async () => {
  const first = await conn.query('SELECT Id FROM Account');
  await admin('/sessions/revoke');
  const second = await conn.queryMore(first.nextRecordsUrl);
  assert(second.records.length === 2000, `${second.records.length}`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
