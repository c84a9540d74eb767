// @ts-check
// The release's own checks of one packed tarball, beside publint and are-the-types-wrong:
// what is inside (LICENSE, README, CHANGELOG, every exported file, nothing else), source maps
// that carry their sources, and the metadata a registry page and npm provenance need.

/** Files a tarball may hold besides dist/. */
const TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
/** Metadata every published package carries. */
const REQUIRED_FIELDS = ['name', 'version', 'description', 'license', 'homepage', 'keywords', 'files', 'engines'];

/**
 * Every file path a package.json points at (exports, main, module, types, bin, typesVersions).
 * @param {Record<string, any>} pkg
 * @returns {string[]}
 */
export function referencedFiles(pkg) {
  /** @type {Set<string>} */
  const out = new Set();
  /** @param {unknown} value */
  const walk = (value) => {
    if (typeof value === 'string') out.add(value.replace(/^\.\//, ''));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  for (const field of ['main', 'module', 'types', 'typings']) walk(pkg[field]);
  walk(typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin ?? {}));
  walk(pkg.typesVersions);
  return [...out].filter((p) => !p.includes('*')).sort();
}

/**
 * @param {Map<string, Buffer>} files the tarball's files (paths without `package/`)
 * @returns {string[]} problems, each a sentence; empty when the tarball is fit to publish
 */
export function checkPackage(files) {
  /** @type {string[]} */
  const problems = [];
  const manifest = files.get('package.json');
  if (!manifest) return ['package.json is missing'];
  /** @type {Record<string, any>} */
  const pkg = JSON.parse(manifest.toString('utf8'));
  const name = pkg.name ?? '(unnamed)';

  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (!files.has(file)) problems.push(`${name}: ${file} is not in the tarball`);
  }
  const readme = files.get('README.md')?.toString('utf8') ?? '';
  if (files.has('README.md') && readme.trim().length < 200) problems.push(`${name}: README.md is nearly empty`);

  for (const field of REQUIRED_FIELDS) {
    const value = pkg[field];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
      problems.push(`${name}: package.json has no "${field}"`);
    }
  }
  if (!pkg.engines?.node) problems.push(`${name}: package.json has no engines.node`);
  if (!pkg.repository?.url) problems.push(`${name}: package.json has no repository.url (npm provenance needs it)`);
  if (!pkg.bugs?.url) problems.push(`${name}: package.json has no bugs.url`);

  for (const kind of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(pkg[kind] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        problems.push(`${name}: ${kind}.${dep} is still "${range}" (pack with pnpm, which rewrites workspace ranges)`);
      } else if (!dep.startsWith('@b24kit/') && kind === 'dependencies' && /^\d/.test(String(range))) {
        problems.push(`${name}: dependencies.${dep} is pinned to ${range}; give consumers a caret range (^${range})`);
      }
    }
  }

  for (const path of referencedFiles(pkg)) {
    if (!files.has(path)) problems.push(`${name}: package.json points at ${path}, which is not in the tarball`);
  }
  for (const bin of typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {})) {
    const body = files.get(String(bin).replace(/^\.\//, ''));
    if (body && !body.subarray(0, 2).equals(Buffer.from('#!'))) problems.push(`${name}: bin ${bin} has no #! line`);
  }

  for (const [path, body] of files) {
    if (!TOP_LEVEL.has(path) && !path.startsWith('dist/')) {
      problems.push(`${name}: ${path} should not be published (only dist/, README.md, LICENSE, CHANGELOG.md)`);
      continue;
    }
    if (/\.tsbuildinfo$|\.d\.ts\.map$|\.d\.cts\.map$|\.d\.mts\.map$/.test(path)) {
      problems.push(`${name}: ${path} should not be published (it can only point at unpublished sources)`);
    }
    if (/\.m?c?js$/.test(path)) {
      const tail = body.subarray(Math.max(0, body.length - 300)).toString('utf8');
      const match = /\/\/# sourceMappingURL=([^\s]+)\s*$/.exec(tail);
      if (match && !match[1]?.startsWith('data:')) {
        const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
        if (!files.has(dir + match[1]))
          problems.push(`${name}: ${path} names a source map ${match[1]} that is not published`);
      }
    }
    if (path.endsWith('.js.map') || path.endsWith('.cjs.map') || path.endsWith('.mjs.map')) {
      /** @type {{ sources?: string[], sourcesContent?: (string | null)[] }} */
      const map = JSON.parse(body.toString('utf8'));
      const sources = map.sources ?? [];
      const contents = map.sourcesContent ?? [];
      if (sources.length === 0 || sources.some((_, i) => typeof contents[i] !== 'string')) {
        problems.push(`${name}: ${path} does not carry its sources (sourcesContent), and src/ is not published`);
      }
    }
  }
  return problems;
}
