// Runs n8n 2.41.1's Date & Time node classes (V1, V2) on the cases read from stdin, with a
// minimal execution context, and prints the cases with n8n's output (the item's json) or error
// message. Used by date-time-truth.py; needs n8n under /tmp/n8n-probe.
const M = '/tmp/n8n-probe/app/node_modules/';
const { Settings } = require(M + 'luxon');
const { DateTimeV1 } = require(M + 'n8n-nodes-base/dist/nodes/DateTime/V1/DateTimeV1.node.js');
const { DateTimeV2 } = require(M + 'n8n-nodes-base/dist/nodes/DateTime/V2/DateTimeV2.node.js');

const get = (object, path) => path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);

async function run(testCase) {
  Settings.defaultZone = testCase.tz; // what n8n's expression evaluation leaves behind
  const node = testCase.version === 1 ? new DateTimeV1({}) : new DateTimeV2({});
  const context = {
    getInputData: () => [{ json: { id: 1 } }],
    getNodeParameter: (name, index, fallback) => {
      const value = get(testCase.params, name);
      if (value === undefined) {
        if (fallback !== undefined) return fallback;
        throw new Error(`Could not get parameter "${name}"`);
      }
      return value;
    },
    getTimezone: () => testCase.tz,
    getNode: () => ({ name: 'Date & Time', type: 'n8n-nodes-base.dateTime', typeVersion: testCase.version, parameters: testCase.params }),
    continueOnFail: () => false,
  };
  try {
    const [items] = await node.execute.call(context);
    return { json: items.map((item) => item.json) };
  } catch (error) {
    return { error: error.message };
  }
}

(async () => {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const cases = JSON.parse(input);
  const originalWarn = console.warn;
  console.warn = () => {}; // moment's deprecation warning
  for (const testCase of cases) testCase.expected = await run(testCase);
  console.warn = originalWarn;
  process.stdout.write(JSON.stringify(cases, null, 1) + '\n');
})();
