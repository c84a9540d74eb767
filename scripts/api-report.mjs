#!/usr/bin/env node
// @ts-check
// API reports (API Extractor): the public surface of every package's main entry, as a
// reviewable file packages/<name>/api/<name>.api.md, written from the built declarations.
//   node scripts/api-report.mjs            check: fail when an export changed without its report
//   node scripts/api-report.mjs --update   rewrite the reports (commit them with the change)
// An accidental export (a helper made public by an `export *`) shows up as a diff in review.
// The client's per-domain subpaths are generated from the schema and are not reported here:
// the schema diff is their review. Needs the packages built (npm run build).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** @returns {{ dir: string, name: string, entry: string }[]} */
export function reportedPackages() {
  /** @type {{ dir: string, name: string, entry: string }[]} */
  const out = [];
  for (const entry of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', entry);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.private) continue;
    const main = pkg.exports?.['.'];
    const types = typeof main === 'string' ? main : (main?.import?.types ?? main?.types ?? pkg.types);
    if (typeof types !== 'string') throw new Error(`${pkg.name}: no types for its main entry`);
    out.push({ dir, name: pkg.name, entry: join(dir, types) });
  }
  return out;
}

/**
 * @param {{ dir: string, name: string, entry: string }} pkg
 * @param {boolean} update
 * @returns {{ changed: boolean, errors: number, report: string }}
 */
export function apiReport(pkg, update) {
  if (!existsSync(pkg.entry)) throw new Error(`${relative(root, pkg.entry)} is missing: run npm run build first`);
  const temp = mkdtempSync(join(tmpdir(), 'b24kit-api-report-'));
  if (update) mkdirSync(join(pkg.dir, 'api'), { recursive: true });
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: pkg.dir,
        mainEntryPointFilePath: pkg.entry,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              lib: ['ES2023'],
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              skipLibCheck: true,
              types: ['node'],
              typeRoots: [join(root, 'node_modules', '@types')],
            },
            include: [pkg.entry],
          },
        },
        apiReport: {
          enabled: true,
          reportFolder: join(pkg.dir, 'api'),
          reportTempFolder: temp,
          reportFileName: unscoped,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: /** @type {any} */ ('warning') } },
          extractorMessageReporting: {
            default: { logLevel: /** @type {any} */ ('none') },
            'ae-forgotten-export': { logLevel: /** @type {any} */ ('none'), addToApiReportFile: true },
          },
          tsdocMessageReporting: { default: { logLevel: /** @type {any} */ ('none') } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(pkg.dir, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: update,
      showVerboseMessages: false,
      messageCallback: (message) => {
        // API Extractor bundles its own TypeScript; our newer one is fine for reading .d.ts files.
        if (message.messageId === 'console-compiler-version-notice') {
          message.logLevel = /** @type {any} */ ('none');
          message.handled = true;
        }
      },
    });
    return {
      changed: result.apiReportChanged,
      errors: result.errorCount,
      report: join(pkg.dir, 'api', `${unscoped}.api.md`),
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { update: { type: 'boolean', default: false } }, strict: true });
  const update = Boolean(values.update);
  let failed = 0;
  for (const pkg of reportedPackages()) {
    const r = apiReport(pkg, update);
    const where = relative(root, r.report);
    if (r.errors > 0) {
      failed += 1;
      console.error(`api-report: ${pkg.name}: ${r.errors} error(s)`);
    } else if (r.changed && !update) {
      failed += 1;
      console.error(
        `api-report: ${pkg.name}: the public API differs from ${where}.\n` +
          '  If the change is intended, run `npm run api:update` and commit the report with it.',
      );
    } else {
      console.log(`api-report: ${pkg.name}: ${r.changed ? `updated ${where}` : 'matches its report'}`);
    }
  }
  process.exit(failed ? 1 : 0);
}
