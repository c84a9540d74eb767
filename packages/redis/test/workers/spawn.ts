// Starts worker processes (test/workers/worker.mjs, on the built packages), waits until every
// one is ready, releases them at once and collects their final lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url));

export interface WorkerLine {
  type: 'ready' | 'done' | 'crash';
  pid: number;
  ok?: number;
  errors?: Record<string, number>;
  results?: {
    title?: string;
    id?: number;
    error?: { name?: string; code?: string; message: string };
    attempts?: number;
  }[];
  ms?: number;
  requests?: number;
  error?: { name?: string; code?: string; message: string };
}

export interface Worker {
  readonly child: ChildProcess;
  readonly done: Promise<{
    line: WorkerLine | undefined;
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>;
}

export function requireBuilt(): void {
  if (!existsSync(DIST))
    throw new Error('the multi-process tests run the built packages: run npm run build (missing packages/redis/dist)');
}

export async function startWorkers(
  configs: readonly object[],
  readyTimeoutMs = 60_000,
): Promise<{ workers: Worker[]; go: () => number }> {
  requireBuilt();
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (const config of configs) {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let last: WorkerLine | undefined;
    let onReady: () => void = () => undefined;
    let onFail: (e: Error) => void = () => undefined;
    ready.push(
      new Promise<void>((resolve, reject) => {
        onReady = resolve;
        onFail = reject;
      }),
    );
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      let nl: number;
      while ((nl = stdout.indexOf('\n')) >= 0) {
        const text = stdout.slice(0, nl);
        stdout = stdout.slice(nl + 1);
        try {
          const line = JSON.parse(text) as WorkerLine;
          if (line.type === 'ready') onReady();
          else last = line;
        } catch {
          // not ours
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    const done = new Promise<{
      line: WorkerLine | undefined;
      code: number | null;
      signal: NodeJS.Signals | null;
      stderr: string;
    }>((resolve) => {
      child.on('close', (code, signal) => {
        onFail(
          new Error(
            `worker ${child.pid} exited before it was ready (${code ?? signal}): ${stderr}${JSON.stringify(last ?? '')}`,
          ),
        );
        resolve({ line: last, code, signal, stderr });
      });
    });
    workers.push({ child, done });
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(ready),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`workers not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    workers,
    go: () => {
      const at = Date.now();
      for (const w of workers) w.child.stdin!.write('go\n');
      return at;
    },
  };
}

export function killAll(workers: readonly Worker[]): void {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
}
