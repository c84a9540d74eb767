/**
 * Test helper: a real redis-server (the Debian package) on a free loopback port, started and
 * stopped by the test itself, never a system service. Without redis-server the Redis tests say
 * so in one line and are skipped; under CI=true a missing server fails the run instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

export function redisServerBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
    if (!dir) continue;
    const file = join(dir, 'redis-server');
    if (existsSync(file)) return file;
  }
  return undefined;
}

let told = false;

/**
 * `describe` when redis-server is installed; otherwise one line and a skip, or (CI=true) one
 * failing test that names what is missing.
 */
export function describeRedis(name: string, fn: () => void): void {
  if (redisServerBinary()) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error(
          'redis-server is not installed (CI=true): install the Debian package redis-server (.ci/run does this with apt-get)',
        );
      });
    });
    return;
  }
  if (!told) {
    told = true;
    console.log(
      '[redis] redis-server not found: the Redis tests are skipped (apt-get install redis-server to run them)',
    );
  }
  describe.skip(name, fn);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function pingable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Stops the server (SIGKILL by default: a crash; SIGTERM: a clean shutdown). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory (keeps the append-only file, if any). */
  start(): Promise<void>;
  /** Pauses (SIGSTOP) or resumes (SIGCONT) the server process: a Redis that accepts but never answers. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export interface StartRedisOptions {
  /** Keep data across stop/start in an append-only file, fsynced on every write. */
  readonly persist?: boolean;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (!binary) throw new Error('redis-server is not installed');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'b24kit-redis-'));
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ];
    args.push(...(options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    proc.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const deadline = Date.now() + 10_000;
    while (!(await pingable(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}:\n${output}`);
      if (Date.now() > deadline)
        throw new Error(`redis-server did not answer PING on port ${port} within 10 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT');
    proc.kill(signal);
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
