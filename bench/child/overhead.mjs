// Per-call CPU cost: b24kit `call` vs a bare undici `request` to the same emulator endpoint,
// in one process, alternating rounds so both see the same machine state.
// argv[2]: JSON {url, calls, rounds, method, params}. Prints one JSON line on stdout.
import { request, Agent } from 'undici';
import { createClient } from '@b24kit/client';

const { url, calls, rounds, method, params } = JSON.parse(process.argv[2] ?? '{}');
const body = JSON.stringify(params);
const agent = new Agent({ connections: 1 });
const b24 = createClient({ webhook: url, limiter: false, operating: false });

async function bare() {
  const res = await request(url + method, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = await res.body.json();
  if (res.statusCode !== 200 || json.result === undefined) throw new Error(`bare request failed: ${res.statusCode}`);
  return json.result;
}

async function kit() {
  const result = await b24.call(method, params);
  if (result === undefined) throw new Error('b24kit call returned nothing');
  return result;
}

/** CPU and wall microseconds per call over `calls` sequential calls. */
async function measure(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  const wallUs = ((performance.now() - t0) * 1000) / calls;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / calls, wallUs };
}

// Warm both paths (JIT, connections) before measuring.
for (let i = 0; i < Math.min(500, calls); i++) {
  await bare();
  await kit();
}
const out = { bare: [], b24kit: [] };
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first so drift in machine state does not favour one side.
  const order = r % 2 === 0 ? ['bare', 'b24kit'] : ['b24kit', 'bare'];
  for (const name of order) out[name].push(await measure(name === 'bare' ? bare : kit));
}
await b24.close();
await agent.close();
process.stdout.write(JSON.stringify(out) + '\n');
