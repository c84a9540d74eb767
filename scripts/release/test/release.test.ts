// The release's own pieces, quickly: the tarball reader, the contents check, the workflow lint,
// and the command line of `npm run release` (what --help and a wrong flag do: nothing).
// The whole release against a registry is test-projects/test/registry.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPackage, referencedFiles } from '../check-package.mjs';
import { readTarball } from '../tarball.mjs';
import { lintWorkflow } from '../../lint-workflows.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'b24kit-release-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LICENSE = Buffer.from('MIT License\n');
const README = Buffer.from(`# @b24kit/x\n\n${'Words about the package. '.repeat(20)}\n`);

function goodPackage(): Map<string, Buffer> {
  const pkg = {
    name: '@b24kit/x',
    version: '1.2.3',
    description: 'x',
    license: 'MIT',
    keywords: ['bitrix24'],
    homepage: 'https://example.org/x#readme',
    bugs: { url: 'https://example.org/x/issues' },
    repository: { type: 'git', url: 'git+https://example.org/x.git', directory: 'packages/x' },
    engines: { node: '>=20.18' },
    files: ['dist'],
    type: 'module',
    bin: { x: './dist/esm/bin.js' },
    exports: {
      '.': { types: './dist/esm/index.d.ts', default: './dist/esm/index.js' },
      './package.json': './package.json',
    },
    dependencies: { '@b24kit/core': '1.2.3', undici: '^7.30.2' },
  };
  const map = {
    version: 3,
    sources: ['../../src/index.ts'],
    sourcesContent: ['export const x = 1;\n'],
    mappings: 'AAAA',
  };
  return new Map<string, Buffer>([
    ['package.json', Buffer.from(JSON.stringify(pkg))],
    ['README.md', README],
    ['LICENSE', LICENSE],
    ['CHANGELOG.md', Buffer.from('# @b24kit/x\n\n## 1.2.3\n')],
    ['dist/esm/index.js', Buffer.from('export const x = 1;\n//# sourceMappingURL=index.js.map')],
    ['dist/esm/index.js.map', Buffer.from(JSON.stringify(map))],
    ['dist/esm/index.d.ts', Buffer.from('export declare const x = 1;\n')],
    ['dist/esm/bin.js', Buffer.from('#!/usr/bin/env node\nconsole.log(1);\n')],
  ]);
}

function withManifest(change: (pkg: Record<string, any>) => void): Map<string, Buffer> {
  const files = goodPackage();
  const pkg = JSON.parse(files.get('package.json')!.toString('utf8'));
  change(pkg);
  files.set('package.json', Buffer.from(JSON.stringify(pkg)));
  return files;
}

describe('checkPackage', () => {
  it('passes a complete package', () => {
    expect(checkPackage(goodPackage())).toEqual([]);
  });

  const cases: [string, () => Map<string, Buffer>, RegExp][] = [
    [
      'no LICENSE',
      () => {
        const f = goodPackage();
        f.delete('LICENSE');
        return f;
      },
      /LICENSE is not in the tarball/,
    ],
    [
      'no CHANGELOG',
      () => {
        const f = goodPackage();
        f.delete('CHANGELOG.md');
        return f;
      },
      /CHANGELOG\.md is not in the tarball/,
    ],
    [
      'an empty README',
      () => {
        const f = goodPackage();
        f.set('README.md', Buffer.from('# x\n'));
        return f;
      },
      /README\.md is nearly empty/,
    ],
    [
      'a workspace: range left in',
      () => withManifest((p) => (p.dependencies['@b24kit/core'] = 'workspace:*')),
      /still "workspace:\*"/,
    ],
    [
      'an exact pin for a runtime dependency',
      () => withManifest((p) => (p.dependencies.undici = '7.30.2')),
      /pinned to 7\.30\.2; give consumers a caret range/,
    ],
    ['no repository', () => withManifest((p) => delete p.repository), /no repository\.url \(npm provenance needs it\)/],
    ['no engines', () => withManifest((p) => delete p.engines), /no "engines"/],
    [
      'an export that is not packed',
      () => {
        const f = goodPackage();
        f.delete('dist/esm/index.d.ts');
        return f;
      },
      /points at dist\/esm\/index\.d\.ts, which is not in the tarball/,
    ],
    [
      'a bin without #!',
      () => {
        const f = goodPackage();
        f.set('dist/esm/bin.js', Buffer.from('console.log(1)'));
        return f;
      },
      /bin \.\/dist\/esm\/bin\.js has no #! line/,
    ],
    [
      'sources published',
      () => {
        const f = goodPackage();
        f.set('src/index.ts', Buffer.from(''));
        return f;
      },
      /src\/index\.ts should not be published/,
    ],
    [
      'a declaration map',
      () => {
        const f = goodPackage();
        f.set('dist/esm/index.d.ts.map', Buffer.from('{}'));
        return f;
      },
      /index\.d\.ts\.map should not be published/,
    ],
    [
      'a map without its sources',
      () => {
        const f = goodPackage();
        f.set(
          'dist/esm/index.js.map',
          Buffer.from(JSON.stringify({ version: 3, sources: ['../../src/index.ts'], mappings: '' })),
        );
        return f;
      },
      /does not carry its sources/,
    ],
    [
      'a map that is named but missing',
      () => {
        const f = goodPackage();
        f.delete('dist/esm/index.js.map');
        return f;
      },
      /names a source map index\.js\.map that is not published/,
    ],
  ];
  it.each(cases)('names the problem: %s', (_what, make, expected) => {
    const problems = checkPackage(make());
    expect(problems.join('\n')).toMatch(expected);
  });

  it('collects every file a package.json points at', () => {
    const pkg = JSON.parse(goodPackage().get('package.json')!.toString('utf8'));
    expect(referencedFiles(pkg)).toEqual([
      'dist/esm/bin.js',
      'dist/esm/index.d.ts',
      'dist/esm/index.js',
      'package.json',
    ]);
  });
});

describe('readTarball', () => {
  it('reads ustar and GNU long names, as tar and npm write them', () => {
    const dir = join(tmp, 'tar');
    const long = `dist/cjs/generated/${'documentgenerator/'.repeat(6)}index.d.ts`;
    mkdirSync(join(dir, 'package', long, '..'), { recursive: true });
    writeFileSync(join(dir, 'package', 'package.json'), '{"name":"x"}');
    writeFileSync(join(dir, 'package', long), 'export {};\n');
    const tgz = join(tmp, 'x.tgz');
    const r = spawnSync('tar', ['-czf', tgz, 'package'], { cwd: dir });
    expect(r.status).toBe(0);
    const files = readTarball(tgz);
    expect([...files.keys()].sort()).toEqual([long, 'package.json']);
    expect(files.get(long)!.toString()).toBe('export {};\n');
  });
});

describe('lint-workflows', () => {
  const scripts = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts));

  it("finds nothing wrong in the repository's workflows", () => {
    const dir = join(root, '.github', 'workflows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    expect(files.sort()).toEqual(['ci.yml', 'docs-sync.yml', 'release.yml']);
    for (const f of files) expect(lintWorkflow(join(dir, f), scripts), f).toEqual([]);
  });

  it('reports a schema error, an unversioned action and an unknown npm script', () => {
    const file = join(tmp, 'bad.yml');
    writeFileSync(
      file,
      [
        'name: bad',
        'on: push',
        'jobs:',
        '  a:',
        '    runs_on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout',
        '      - run: npm run no-such-script',
        '',
      ].join('\n'),
    );
    const problems: string[] = lintWorkflow(file, scripts);
    expect(problems.join('\n')).toMatch(/Additional property 'runs_on' is not allowed/);
    expect(problems.join('\n')).toMatch(/uses actions\/checkout names no version/);
    expect(problems.join('\n')).toMatch(/npm run no-such-script: the root package.json has no such script/);
  });
});

describe('npm run release: the command line', () => {
  const release = (args: string[]) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'release', 'release.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
    });
  const changesets = () => readdirSync(join(root, '.changeset')).sort();

  it('--help prints the usage and does nothing else', () => {
    const before = changesets();
    const r = release(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run release -- [options]');
    expect(r.stdout).toContain('--dry-run');
    expect(r.stderr).not.toContain('[release] 1/5');
    expect(changesets()).toEqual(before);
  });

  it('a wrong flag stops it before anything runs, with exit 2', () => {
    const before = changesets();
    const r = release(['--hlep']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--hlep'/);
    expect(r.stderr).toContain('Usage: npm run release');
    expect(r.stderr).not.toContain('[release] 1/5');
    expect(changesets()).toEqual(before);
  });

  it('a stray argument (as in `changeset publish help`) stops it too', () => {
    const r = release(['publish']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unexpected argument 'publish'/);
  });
});
