/**
 * Shell completion: what `b24 __complete` offers, and the bash, zsh and fish scripts of
 * `b24 completion SHELL` run in the real shells against the built binary (zsh and fish only
 * where installed; bash always).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const bin = fileURLToPath(new URL('../dist/esm/bin.js', import.meta.url));
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

async function candidates(line: string): Promise<string[]> {
  const words = line.split(' ');
  const r = await runCli(['__complete', '--', ...words]);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('b24 __complete', () => {
  it.each([
    ['b24 au', ['auth']],
    ['b24 auth l', ['login', 'logout']],
    ['b24 auth login --p', ['--portal', '--profile', '--port']],
    ['b24 export crm.deal.list --format ', ['ndjson', 'csv', 'json']],
    ['b24 export crm.deal.list --for', ['--format']],
    ['b24 completion ', ['bash', 'zsh', 'fish']],
    ['b24 help auth st', ['status']],
    ['b24 crm deal l', ['list']],
    ['b24 crm deal list --fi', ['--filter']],
    ['b24 call crm.deal.ge', ['crm.deal.get']],
    ['b24 opi GetDeal --u', ['--url']],
  ])('%s -> %j', async (line, expected) => {
    expect(await candidates(line)).toEqual(expected);
  });

  it('offers commands and REST namespaces first, and nothing for a made-up word', async () => {
    const first = await candidates('b24 ');
    expect(first).toEqual(expect.arrayContaining(['call', 'export', 'auth', 'completion', 'crm', 'tasks', 'rest']));
    expect(first).not.toContain('__complete');
    expect(await candidates('b24 zzzz')).toEqual([]);
  });
});

describe('the shell scripts', () => {
  let path: string;
  beforeAll(() => {
    // `b24` on PATH, as an installed CLI would be.
    const dir = mkdtempSync(join(tmpdir(), 'b24-completion-'));
    writeFileSync(join(dir, 'b24'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(dir, 'b24'), 0o755);
    path = `${dir}:${process.env.PATH}`;
  });
  const run = (shell: string, script: string) =>
    execFileSync(shell, ['-c', script], {
      env: { ...process.env, PATH: path, HOME: tmpdir() },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('bash', () => {
    const out = run(
      'bash',
      'source <(b24 completion bash); COMP_WORDS=(b24 auth l); COMP_CWORD=2; _b24_complete; printf "%s\\n" "${COMPREPLY[@]}"; complete -p b24',
    );
    expect(out).toBe('login\nlogout\ncomplete -o default -F _b24_complete b24\n');
    const methods = run(
      'bash',
      'source <(b24 completion bash); COMP_WORDS=(b24 crm deal ""); COMP_CWORD=3; _b24_complete; printf "%s\\n" "${COMPREPLY[@]}"',
    );
    expect(methods.split('\n')).toEqual(expect.arrayContaining(['list', 'get', 'add', 'update', 'delete', 'fields']));
  });

  it.skipIf(!has('zsh'))('zsh', () => {
    const script = [
      'compdef() { print "compdef $*"; }',
      'source <(b24 completion zsh)',
      'compadd() { shift 2; print -l -- "$@"; }',
      '_files() { print FILES; }',
      'words=(b24 auth l); CURRENT=3; _b24',
      'words=(b24 export x --out ""); CURRENT=5; _b24',
    ].join('\n');
    expect(run('zsh', script)).toBe('compdef _b24 b24\nlogin\nlogout\nFILES\n');
  });

  it.skipIf(!has('fish'))('fish', () => {
    const out = run(
      'fish',
      'b24 completion fish | source; complete -C "b24 auth l"; complete -C "b24 export crm.deal.list --format "',
    );
    // fish sorts what it offers.
    expect(out.split('\n').filter(Boolean)).toEqual(['login', 'logout', 'csv', 'json', 'ndjson']);
  });
});
