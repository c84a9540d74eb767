// @ts-check
// load -> model -> emit, then either write the output directory or compare it (--check).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { emit, emitCliCatalog, emitEmulatorNames } from './emit.mjs';
import { loadSchema } from './load.mjs';
import { buildModel } from './model.mjs';

/** @param {string} dir @returns {Map<string, string>} */
function readTree(dir) {
  /** @type {Map<string, string>} */
  const out = new Map();
  if (!existsSync(dir)) return out;
  const walk = (/** @type {string} */ d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/**
 * The `exports` (and `typesVersions`) of the client package: one subpath per domain.
 * @param {Record<string, any>} pkg @param {string[]} domains
 */
export function withDomainExports(pkg, domains) {
  const entry = (/** @type {string} */ base) => ({
    import: { types: `./dist/esm/${base}.d.ts`, default: `./dist/esm/${base}.js` },
    require: { types: `./dist/cjs/${base}.d.ts`, default: `./dist/cjs/${base}.js` },
  });
  /** @type {Record<string, any>} */
  const exports = { '.': entry('index') };
  for (const d of domains) exports[`./${d}`] = entry(`generated/${d}/index`);
  exports['./package.json'] = './package.json';
  // typesVersions lets projects on `moduleResolution: node` find the subpath types too.
  const typesVersions = { '*': Object.fromEntries(domains.map((d) => [d, [`./dist/cjs/generated/${d}/index.d.ts`]])) };
  return { ...pkg, exports, typesVersions };
}

/**
 * @param {{ schemaDir: string, outDir: string, packageJson?: string, cliCatalog?: string, emulatorNames?: string, check?: boolean, jsonSchema?: string }} opts
 *   `cliCatalog`: where the CLI's method catalog goes (left alone when absent); `emulatorNames`:
 *   where the emulator's name types go (left alone when absent)
 * @returns {{ changed: string[], files: number }}
 */
export function generate({ schemaDir, outDir, packageJson, cliCatalog, emulatorNames, check = false, jsonSchema }) {
  const model = buildModel(loadSchema(schemaDir, jsonSchema ? { jsonSchema } : {}));
  const wanted = emit(model);
  const present = readTree(outDir);
  /** @type {string[]} */
  const changed = [];
  for (const [path, text] of wanted) if (present.get(path) !== text) changed.push(path);
  for (const path of present.keys()) if (!wanted.has(path)) changed.push(path);

  let pkgText;
  let pkgWanted;
  if (packageJson) {
    pkgText = readFileSync(packageJson, 'utf8');
    const pkg = JSON.parse(pkgText);
    pkgWanted =
      JSON.stringify(
        withDomainExports(
          pkg,
          model.domains.map((d) => d.name),
        ),
        null,
        2,
      ) + '\n';
    if (pkgWanted !== pkgText) changed.push(relative(outDir, packageJson).split(sep).join('/'));
  }
  let catalogWanted;
  let catalogText;
  if (cliCatalog) {
    catalogWanted = emitCliCatalog(model);
    catalogText = existsSync(cliCatalog) ? readFileSync(cliCatalog, 'utf8') : undefined;
    if (catalogText !== catalogWanted) changed.push(relative(outDir, cliCatalog).split(sep).join('/'));
  }
  let namesWanted;
  let namesText;
  if (emulatorNames) {
    namesWanted = emitEmulatorNames(model);
    namesText = existsSync(emulatorNames) ? readFileSync(emulatorNames, 'utf8') : undefined;
    if (namesText !== namesWanted) changed.push(relative(outDir, emulatorNames).split(sep).join('/'));
  }
  changed.sort();
  if (!check) {
    if (cliCatalog && catalogWanted !== undefined && catalogText !== catalogWanted) {
      mkdirSync(dirname(cliCatalog), { recursive: true });
      writeFileSync(cliCatalog, catalogWanted);
    }
    if (emulatorNames && namesWanted !== undefined && namesText !== namesWanted) {
      mkdirSync(dirname(emulatorNames), { recursive: true });
      writeFileSync(emulatorNames, namesWanted);
    }
    for (const path of present.keys()) if (!wanted.has(path)) rmSync(join(outDir, path));
    for (const [path, text] of wanted) {
      if (present.get(path) === text) continue;
      mkdirSync(dirname(join(outDir, path)), { recursive: true });
      writeFileSync(join(outDir, path), text);
    }
    if (packageJson && pkgWanted && pkgWanted !== pkgText) writeFileSync(packageJson, pkgWanted);
    removeEmptyDirs(outDir);
  }
  return { changed, files: wanted.size };
}

/** @param {string} dir */
function removeEmptyDirs(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      removeEmptyDirs(full);
      if (readdirSync(full).length === 0) rmSync(full, { recursive: true });
    }
  }
}
