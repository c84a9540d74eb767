#!/usr/bin/env node
// @ts-check
// `npm run docs:api [-- --out DIR]`: the API reference of every public package (typedoc), one
// module per import path. The entry points come from each package's `exports` map (dist/esm/X.d.ts
// is documented from src/X.ts), so a new package or client domain is documented without
// touching this file. Shaping (inlined params, one page per method, examples, READMEs as module
// pages) is in ./typedoc-plugin.mjs; options shared with the typedoc CLI are in typedoc.json.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Application, LogLevel } from 'typedoc';
import { load, modules } from './typedoc-plugin.mjs';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * Every public package's documented modules: import path -> source entry file (and README).
 * @returns {{ name: string, entry: string, readme?: string }[]}
 */
export function apiModules() {
  /** @type {{ name: string, entry: string, readme?: string }[]} */
  const out = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.private) continue;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const types = typeof target === 'string' ? target : (target.import?.types ?? target.types);
      const match = typeof types === 'string' ? /^\.\/dist\/esm\/(.+)\.d\.ts$/.exec(types) : null;
      if (!match) continue; // ./package.json
      const entry = join(root, 'packages', dir, 'src', `${match[1]}.ts`);
      if (!existsSync(entry))
        throw new Error(`${pkg.name}: exports ${subpath} -> ${types}, but ${relative(root, entry)} does not exist`);
      const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      const readme = subpath === '.' ? join(root, 'packages', dir, 'README.md') : undefined;
      out.push({ name, entry, ...(readme && existsSync(readme) ? { readme } : {}) });
    }
  }
  return out;
}

/** @param {string} dir @returns {{ files: number, bytes: number }} */
function sizeOf(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (/** @type {string} */ d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else {
        files += 1;
        bytes += st.size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: join(root, 'docs', 'api') } },
    strict: true,
  });
  const out = values.out ?? join(root, 'docs', 'api');
  const list = apiModules();
  for (const m of list) modules.set(m.entry, { name: m.name, ...(m.readme ? { readme: m.readme } : {}) });
  const app = await Application.bootstrapWithPlugins({
    options: join(root, 'typedoc.json'),
    entryPoints: list.map((m) => m.entry),
    out,
  });
  load(app);
  const project = await app.convert();
  if (!project) {
    console.error('docs:api: typedoc could not convert the packages');
    process.exit(1);
  }
  await app.generateDocs(project, out);
  if (app.logger.hasErrors() || (app.logger.hasWarnings() && app.options.getValue('treatWarningsAsErrors')))
    process.exit(1);
  const { files, bytes } = sizeOf(out);
  console.log(
    `docs:api: ${list.length} modules, ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${relative(process.cwd(), out) || out}`,
  );
  void LogLevel;
}
