import { findDescriptor } from '@b24kit/client';
import { UsageError, type CliIO } from '../io.js';
import { similarMethods } from '../method-args/route.js';

const FAULT_KINDS = ['500', '503', 'reset', 'slow', 'truncated', 'malformed'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

export interface EmulatorFlags {
  port?: string;
  host?: string;
  plan?: string;
  latency?: string;
  timeModel?: string;
  faults?: string;
  faultKinds?: string;
  faultMethods?: string;
  seedRng?: string;
  seed?: string[];
  tls?: boolean;
  operatingLimit?: string;
  tokenTtl?: string;
  listMethods?: boolean;
}

/** The emulator package, loaded only here: the CLI does not depend on it (it builds SQLite). */
async function loadEmulator(): Promise<typeof import('@b24kit/emulator')> {
  try {
    return await import('@b24kit/emulator');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('@b24kit/emulator')) {
      // Exit 1, not 2: the command line is right, the package is missing.
      throw new Error(
        '"b24 emulator" needs the @b24kit/emulator package, which is not installed.\n' +
          'Add it next to the CLI: npm install @b24kit/emulator (or npm install -g @b24kit/emulator\n' +
          'for a global b24). It builds a native SQLite module, so it needs a C/C++ toolchain where\n' +
          'no prebuilt binary fits your platform.',
      );
    }
    throw error;
  }
}

export async function emulatorCommand(values: EmulatorFlags, io: CliIO): Promise<number> {
  const { startEmulator, realisticTimeModel, unknownName } = await loadEmulator();
  if (values.listMethods) return listMethods(startEmulator, io);
  const port = integer('port', values.port, 0, 65535) ?? 0;
  const plan = parsePlan(values.plan);
  const latencyMs = integer('latency', values.latency, 0, 600_000);
  const timeModel = parseTimeModel(values.timeModel, realisticTimeModel);
  const seeds = (values.seed ?? []).map(parseSeed);
  const faults = parseFaults(values, unknownName);
  const operatingLimitMs = integer('operating-limit', values.operatingLimit, 1, Number.MAX_SAFE_INTEGER);
  const tokenTtl = integer('token-ttl', values.tokenTtl, 1, 365 * 24 * 3600);

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
      // A name typed on the command line: checked by the emulator at run time.
      emulator.seed(unknownName(entity), count);
      io.stderr.write(`seeded ${entity} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  } catch (error) {
    await emulator.close();
    throw new UsageError(`--seed: ${(error as Error).message}`);
  }
  // Listen for the stop signals before announcing the portal: whoever reads the line may
  // send SIGINT/SIGTERM at once, and a signal with no listener would kill the process.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
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
  await stopped;
  await emulator.close();
  return 0;
}

/** `b24 emulator --list-methods`: one tab-separated line per method, then the counts on stderr. */
async function listMethods(startEmulator: typeof import('@b24kit/emulator').startEmulator, io: CliIO): Promise<number> {
  const emulator = await startEmulator({ plan: 'unlimited' });
  try {
    const methods = emulator.methods();
    for (const m of methods) io.stdout.write(`${m.name}\tv${m.apiVersion}\t${m.kind}\t${m.source}\t${m.scope}\n`);
    const stateful = methods.filter((m) => m.kind === 'stateful').length;
    io.stderr.write(
      `${methods.length} methods: ${stateful} stateful, ${methods.length - stateful} example-backed (checked params, documented example)\n`,
    );
  } finally {
    await emulator.close();
  }
  return 0;
}

function integer(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`--${flag} must be an integer in ${min}..${max}, got "${text}"`);
  return value;
}

function parsePlan(text: string | undefined) {
  if (text === undefined) return undefined;
  if (text === 'standard' || text === 'enterprise' || text === 'unlimited') return text;
  const custom = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (custom) return { burst: Number(custom[1]), drainPerSec: Number(custom[2]) };
  throw new UsageError(`--plan must be standard, enterprise, unlimited or BURST/DRAIN (e.g. 100/4), got "${text}"`);
}

/** `realistic` is the emulator's `realisticTimeModel`; each figure's source is in its README and src/timeModel.ts. */
function parseTimeModel(text: string | undefined, realistic: import('@b24kit/emulator').TimeModel) {
  if (text === undefined || text === 'realistic') return realistic;
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

function parseFaults(values: EmulatorFlags, unknownName: typeof import('@b24kit/emulator').unknownName) {
  if (values.faults === undefined) {
    if (values.faultKinds || values.faultMethods)
      throw new UsageError('--fault-kinds and --fault-methods need --faults RATE');
    return undefined;
  }
  const rate = Number(values.faults);
  if (!(rate >= 0 && rate <= 1))
    throw new UsageError(`--faults must be a rate between 0 and 1, got "${values.faults}"`);
  const kinds = (values.faultKinds ?? '500,503,reset,malformed').split(',').map((kind) => kind.trim());
  for (const kind of kinds) {
    if (!FAULT_KINDS.includes(kind as FaultKind))
      throw new UsageError(`--fault-kinds: unknown kind "${kind}" (known: ${FAULT_KINDS.join(', ')})`);
  }
  const methods = values.faultMethods
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .map((m) => {
      // The emulator started here answers the described methods and batch: any other name
      // would never match, so it is a typo.
      if (!findDescriptor(m) && m.toLowerCase() !== 'batch') {
        const near = similarMethods(m);
        throw new UsageError(
          `--fault-methods: no method ${m} is known` +
            (near.length > 0 ? ` (did you mean ${near.map((n) => `"${n}"`).join(', ')}?)` : ''),
        );
      }
      // A name typed on the command line, matched by the emulator as given (case-insensitively).
      return unknownName(m);
    });
  const seed = integer('seed-rng', values.seedRng, 0, 2 ** 31 - 1) ?? 1;
  // Each kind draws independently, so a call can meet at most the first rule that fires:
  // splitting the rate evenly keeps the total close to RATE.
  const share = rate / kinds.length;
  return {
    seed,
    rules: kinds.map((kind) => ({ kind: kind as FaultKind, rate: share, ...(methods ? { methods } : {}) })),
  };
}
