#!/usr/bin/env node
// @ts-check
// Lints the GitHub workflows: each file against the GitHub workflow schema (action-validator,
// an npm package: actionlint is a Go binary the npm registry does not carry), then two rules of
// ours that a schema cannot know: every `uses:` names a version, and every `npm run NAME` in a
// `run:` or in a `with:` value names a script that the root package.json has.
// node scripts/lint-workflows.mjs [DIR]   (default: .github/workflows); exit 1 on any problem.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const dir = process.argv[2] ?? join(root, '.github', 'workflows');
const validator = join(root, 'node_modules', '.bin', 'action-validator');

/**
 * @param {string} file
 * @param {Set<string>} scripts the root package.json's script names
 * @returns {string[]} problems
 */
export function lintWorkflow(file, scripts) {
  /** @type {string[]} */
  const problems = [];
  const name = relative(process.cwd(), file);
  const schema = spawnSync(validator, [file], { encoding: 'utf8' });
  if (schema.status !== 0) {
    /** @type {{ errors?: { path?: string, title?: string, detail?: string, states?: { errors: { path?: string, detail?: string, title?: string }[] }[] }[] }} */
    let report = {};
    try {
      // action-validator prints its JSON report on stderr (older releases: stdout)
      report = JSON.parse(schema.stderr.trim() || schema.stdout.trim() || '{}');
    } catch {
      problems.push(`${name}: ${schema.stdout}${schema.stderr}`.trim());
    }
    for (const e of report.errors ?? []) {
      const details = new Set(
        (e.states ?? []).flatMap((s) => s.errors.map((x) => `${x.path}: ${x.detail ?? x.title}`)),
      );
      problems.push(`${name}: ${e.path}: ${e.detail ?? e.title}${details.size ? ` (${[...details].join('; ')})` : ''}`);
    }
    if (!report.errors?.length && problems.length === 0)
      problems.push(`${name}: ${schema.stdout}${schema.stderr}`.trim());
  }
  /** @type {any} */
  let doc;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return [...problems, `${name}: not YAML: ${/** @type {Error} */ (e).message}`];
  }
  for (const [jobId, job] of Object.entries(doc?.jobs ?? {})) {
    if (typeof job?.uses === 'string' && !job.uses.startsWith('./') && !job.uses.includes('@')) {
      problems.push(`${name}: jobs.${jobId}.uses ${job.uses} names no version (@v1 or a commit)`);
    }
    for (const [i, step] of (job?.steps ?? []).entries()) {
      const where = `${name}: jobs.${jobId}.steps[${i}]`;
      if (
        typeof step?.uses === 'string' &&
        !step.uses.startsWith('./') &&
        !step.uses.startsWith('docker://') &&
        !step.uses.includes('@')
      ) {
        problems.push(`${where}.uses ${step.uses} names no version (@v1 or a commit)`);
      }
      const texts = [step?.run, ...Object.values(step?.with ?? {})].filter((t) => typeof t === 'string');
      for (const text of texts) {
        for (const m of text.matchAll(/\bnpm run(?: --silent)? ([\w:.-]+)/g)) {
          if (!scripts.has(/** @type {string} */ (m[1])))
            problems.push(`${where}: npm run ${m[1]}: the root package.json has no such script`);
        }
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(dir)) {
    console.error(`lint-workflows: no directory ${dir}`);
    process.exit(2);
  }
  const scripts = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {}));
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const problems = files.flatMap((f) => lintWorkflow(join(dir, f), scripts));
  for (const p of problems) console.error(p);
  console.log(`lint-workflows: ${files.length} workflow(s), ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
