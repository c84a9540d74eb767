/**
 * A CLI people can find their way in: help on every command, `b24 help COMMAND`, "did you
 * mean" for commands, methods and flags, exit code 2 for usage mistakes, NO_COLOR.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { allCommands, buildProgram, pathOf } from '../src/program.js';
import { runCli } from './helpers.js';

const SGR = /\x1b\[[0-9;]*m/;

describe('help', () => {
  it('the top help names every command, nested ones too, and the common options', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const text of [
      'call',
      'export',
      'methods',
      'auth login',
      'auth status',
      'auth logout',
      'auth url',
      'auth exchange',
      'auth refresh',
      'emulator',
      'completion',
      'opi',
      'help',
      'b24 NAMESPACE WORDS',
      'b24 rest WORDS',
    ]) {
      expect(r.stdout).toContain(`  ${text}`);
    }
    for (const flag of ['--profile NAME', '--timeout MS', '--webhook URL', '--version', 'NO_COLOR', 'Exit codes'])
      expect(r.stdout).toContain(flag);
    expect((await runCli(['help'])).stdout).toBe(r.stdout);
    expect((await runCli(['-h'])).stdout).toBe(r.stdout);
  });

  it('every command answers --help with exit 0 and lists each of its options; b24 help COMMAND says the same', async () => {
    const program = buildProgram({ stdout: process.stdout, stderr: process.stderr, env: {} }, async () => 0, {
      code: 0,
    });
    const paths = allCommands(program)
      .filter((cmd) => cmd !== program && !['opi', 'help'].includes(cmd.name()))
      .map((cmd) => ({ words: pathOf(cmd).slice(1), flags: cmd.options.map((o) => o.long!) }));
    expect(paths.map((p) => p.words.join(' '))).toEqual(
      expect.arrayContaining([
        'call',
        'export',
        'methods',
        'auth',
        'auth login',
        'auth status',
        'auth logout',
        'emulator',
        'completion',
      ]),
    );
    for (const { words, flags } of paths) {
      const r = await runCli([...words, '--help']);
      expect(r.code, words.join(' ')).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`Usage: b24 ${words.join(' ')}`);
      for (const flag of flags) expect(r.stdout, `${words.join(' ')} ${flag}`).toContain(flag);
      const viaHelp = await runCli(['help', ...words]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(r.stdout);
    }
  });

  it('the commands the review found failing answer --help: auth login, methods', async () => {
    const login = await runCli(['auth', 'login', '--help']);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('--webhook-from-env');
    expect(login.stdout).toContain('--client-id');
    const methods = await runCli(['methods', '--help']);
    expect(methods.code).toBe(0);
    expect(methods.stdout).toContain('--search');
    expect(`${login.stderr}${methods.stderr}`).not.toContain('Unknown option');
  });

  it('method commands, rest and opi have help too', async () => {
    for (const args of [
      ['crm', 'deal', 'list', '--help'],
      ['help', 'crm', 'deal', 'list'],
      ['crm', 'deal', '--help'],
      ['rest', '--help'],
      ['opi', '--help'],
      ['help', 'opi'],
      ['opi', 'GetDeal', '--help'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
    }
    expect((await runCli(['help', 'crm', 'deal', 'list'])).stdout).toContain('--filter');
  });

  it('--version prints the package version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });
});

describe('did you mean', () => {
  it('for commands and REST namespaces', async () => {
    const cmd = await runCli(['exprt', 'crm.deal.list']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('unknown command "exprt" (did you mean export?)');
    const ns = await runCli(['crmm', 'deal', 'list']);
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain('(did you mean crm?)');
    const sub = await runCli(['auth', 'logni']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown command 'logni'[\s\S]*Did you mean login\?/);
  });

  it('for methods', async () => {
    const r = await runCli(['crm', 'deal', 'lsit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no method crm.deal.lsit is known (did you mean "crm deal list"');
  });

  it('for options and method params', async () => {
    const option = await runCli(['export', 'crm.deal.list', '--selct', 'ID']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--selct'[\s\S]*Did you mean --select\?/);
    const param = await runCli(['crm', 'deal', 'list', '--fitler', '{}']);
    expect(param.code).toBe(2);
    expect(param.stderr).toContain('unknown flag --fitler for crm.deal.list (did you mean --filter?)');
  });
});

describe('deprecation notes', () => {
  it('name the replacement the docs give, in method help and in group help', async () => {
    const method = await runCli(['crm', 'deal', 'list', '--help']);
    expect(method.stdout).toContain('Deprecated in the Bitrix24 docs; use crm.item.list (b24 crm item list) instead.');
    const group = await runCli(['crm', 'deal', '--help']);
    expect(group.stdout).toMatch(/crm\.deal\.add +.*\(deprecated: use crm\.item\.add\)/);
  });
});

describe('exit codes', () => {
  it('2 for every kind of usage mistake, with the way to the help', async () => {
    const cases = [
      [],
      ['auth'],
      ['nosuchcommand'],
      ['call'],
      ['call', 'server.time', '--params', '{bad'],
      ['call', 'server.time', '--nope'],
      ['export', 'crm.deal.list', '--format', 'xml'],
      ['export', 'crm.deal.list', '--bom'],
      ['completion', 'powershell'],
      ['crm', 'deal', 'get'],
      ['opi', 'GetDeall'],
    ];
    for (const args of cases) {
      const r = await runCli(args, { B24_WEBHOOK_URL: 'https://example.bitrix24.com/rest/1/abcdefgh/' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/--help|Usage/);
    }
  });
});

describe('NO_COLOR', () => {
  /** Runs with stdout and stderr that say they are terminals. */
  async function onTerminal(args: string[], env: NodeJS.ProcessEnv) {
    let out = '';
    const sink = () =>
      Object.assign(
        new Writable({
          write(chunk, _e, done) {
            out += String(chunk);
            done();
          },
        }),
        { isTTY: true },
      );
    const code = await main(args, { stdout: sink(), stderr: sink(), env: { TERM: 'xterm-256color', ...env } });
    return { code, out };
  }

  it('a terminal gets colour in help and errors; NO_COLOR turns it off', async () => {
    expect((await onTerminal(['--help'], {})).out).toMatch(SGR);
    expect((await onTerminal(['nosuch'], {})).out).toMatch(SGR);
    for (const args of [['--help'], ['nosuch'], ['call', '--nope'], ['crm', 'deal', 'lsit']]) {
      const r = await onTerminal(args, { NO_COLOR: '1' });
      expect(r.out.length).toBeGreaterThan(10);
      expect(r.out, args.join(' ')).not.toMatch(SGR);
    }
  });

  it('no colour when not a terminal', async () => {
    const r = await runCli(['nosuch']);
    expect(r.stderr).not.toMatch(SGR);
  });
});
