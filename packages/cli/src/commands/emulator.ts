import { startEmulator } from '@b24kit/emulator';
import { parse, UsageError, type CliIO } from '../io.js';

const HELP = `Usage: b24 emulator [options]

Runs a local Bitrix24 portal until SIGINT or SIGTERM. Once it listens (and is seeded) it
prints exactly one JSON line on stdout: {"webhookUrl", "port", "baseUrl", "oauth", "tls"?}.

  --port N               port to listen on (default: a free one)
  --host ADDR            loopback address to listen on (default 127.0.0.1)
  --plan NAME            standard | enterprise | unlimited | BURST/DRAIN (e.g. 100/4); default standard
  --latency MS           network latency added to every request
  --time-model MODEL     processing time per call: realistic (default: counting a table costs
                         20 µs a row, skipping an offset 2 µs a row, start=-1 nothing), off, or
                         COUNT_US/SKIP_US
  --faults RATE          inject faults into this share of calls (0..1), spread over --fault-kinds
  --fault-kinds LIST     comma list of 500,503,reset,slow,truncated,malformed (default 500,503,reset,malformed)
  --fault-methods LIST   only these methods get faults
  --seed-rng N           seed of the fault generator (same seed, same faults)
  --seed ENTITY=COUNT    bulk-create synthetic rows, repeatable (e.g. --seed crm.deal=100000)
  --tls                  serve HTTPS with a self-signed certificate (its path is in the JSON line)
  --operating-limit MS   per-method operating time allowed per 10 minutes
  --token-ttl SECONDS    access token lifetime (default 3600)
`;

const FAULT_KINDS = ['500', '503', 'reset', 'slow', 'truncated', 'malformed'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

export async function emulatorCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    plan: { type: 'string' },
    latency: { type: 'string' },
    'time-model': { type: 'string' },
    faults: { type: 'string' },
    'fault-kinds': { type: 'string' },
    'fault-methods': { type: 'string' },
    'seed-rng': { type: 'string' },
    seed: { type: 'string', multiple: true },
    tls: { type: 'boolean' },
    'operating-limit': { type: 'string' },
    'token-ttl': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const port = integer('port', values.port, 0, 65535) ?? 0;
  const plan = parsePlan(values.plan);
  const latencyMs = integer('latency', values.latency, 0, 600_000);
  const timeModel = parseTimeModel(values['time-model']);
  const seeds = (values.seed ?? []).map(parseSeed);
  const faults = parseFaults(values);
  const operatingLimitMs = integer('operating-limit', values['operating-limit'], 1, Number.MAX_SAFE_INTEGER);
  const tokenTtl = integer('token-ttl', values['token-ttl'], 1, 365 * 24 * 3600);

  const emulator = await startEmulator({
    port,
    ...(values.host ? { host: values.host } : {}),
    ...(plan === undefined ? {} : { plan }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(timeModel ? { timeModel } : {}),
    ...(faults ? { faults } : {}),
    ...(values.tls ? { tls: true } : {}),
    ...(operatingLimitMs === undefined ? {} : { operatingLimitMs }),
    ...(tokenTtl === undefined ? {} : { tokenTtlMs: tokenTtl * 1000 }),
  });
  try {
    for (const { entity, count } of seeds) {
      const started = Date.now();
      io.stderr.write(`seeding ${count.toLocaleString('en-US')} ${entity} rows ...\n`);
      emulator.seed(entity, count);
      io.stderr.write(`seeded ${entity} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  } catch (error) {
    await emulator.close();
    throw new UsageError(`--seed: ${(error as Error).message}`);
  }
  const { clientId, clientSecret, authorizeUrl, tokenUrl } = emulator.oauth;
  io.stdout.write(
    `${JSON.stringify({
      webhookUrl: emulator.webhookUrl,
      port: emulator.port,
      baseUrl: emulator.baseUrl,
      oauth: { clientId, clientSecret, authorizeUrl, tokenUrl },
      ...(emulator.tls ? { tls: { certPath: emulator.tls.certPath } } : {}),
    })}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
  return 0;
}

function integer(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${flag} must be an integer in ${min}..${max}, got "${text}"`);
  return value;
}

function parsePlan(text: string | undefined) {
  if (text === undefined) return undefined;
  if (text === 'standard' || text === 'enterprise' || text === 'unlimited') return text;
  const custom = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (custom) return { burst: Number(custom[1]), drainPerSec: Number(custom[2]) };
  throw new UsageError(`--plan must be standard, enterprise, unlimited or BURST/DRAIN (e.g. 100/4), got "${text}"`);
}

/** Close to a large cloud portal: the docs measured ~50 s for one counted page over 2.4 M rows. */
const REALISTIC = { countRowUs: 20, skipRowUs: 2 };

function parseTimeModel(text: string | undefined) {
  if (text === undefined || text === 'realistic') return REALISTIC;
  if (text === 'off') return undefined;
  const custom = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (custom) return { countRowUs: Number(custom[1]), skipRowUs: Number(custom[2]) };
  throw new UsageError(`--time-model must be realistic, off or COUNT_US/SKIP_US (e.g. 20/2), got "${text}"`);
}

function parseSeed(text: string): { entity: string; count: number } {
  const match = /^([A-Za-z0-9_.]+)=(\d[\d_]*)$/.exec(text);
  if (!match) throw new UsageError(`--seed must look like ENTITY=COUNT (e.g. crm.deal=100000), got "${text}"`);
  return { entity: match[1]!, count: Number(match[2]!.replaceAll('_', '')) };
}

function parseFaults(values: { faults?: string | undefined; 'fault-kinds'?: string | undefined; 'fault-methods'?: string | undefined; 'seed-rng'?: string | undefined }) {
  if (values.faults === undefined) {
    if (values['fault-kinds'] || values['fault-methods']) throw new UsageError('--fault-kinds and --fault-methods need --faults RATE');
    return undefined;
  }
  const rate = Number(values.faults);
  if (!(rate >= 0 && rate <= 1)) throw new UsageError(`--faults must be a rate between 0 and 1, got "${values.faults}"`);
  const kinds = (values['fault-kinds'] ?? '500,503,reset,malformed').split(',').map((kind) => kind.trim());
  for (const kind of kinds) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new UsageError(`--fault-kinds: unknown kind "${kind}" (known: ${FAULT_KINDS.join(', ')})`);
  }
  const methods = values['fault-methods']?.split(',').map((m) => m.trim()).filter(Boolean);
  const seed = integer('seed-rng', values['seed-rng'], 0, 2 ** 31 - 1) ?? 1;
  // Each kind draws independently, so a call can meet at most the first rule that fires:
  // splitting the rate evenly keeps the total close to RATE.
  const share = rate / kinds.length;
  return {
    seed,
    rules: kinds.map((kind) => ({ kind: kind as FaultKind, rate: share, ...(methods ? { methods } : {}) })),
  };
}
