/**
 * "Did you mean": the nearest names by edit distance. Commander suggests its own commands and
 * options, but its helper is not exported, and method names, method params and the REST
 * namespaces that act as commands (crm, tasks, ...) need the same, so this small one is ours.
 */

/** Optimal string alignment distance (Levenshtein plus swapped neighbours), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Up to `limit` candidates close to `word` (case-insensitive): distance at most a third of the
 * word's length (at least 1, at most 3), nearest first, then alphabetical.
 */
export function suggest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = word.toLowerCase();
  const max = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  const scored: Array<[string, number]> = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    const d = editDistance(needle, candidate.toLowerCase(), max);
    if (d <= max) scored.push([candidate, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([name]) => name);
}

/** ` (did you mean x or y?)`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, prefix = ''): string {
  const near = suggest(word, candidates);
  if (near.length === 0) return '';
  const names = near.map((n) => `${prefix}${n}`);
  return ` (did you mean ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}?)`;
}
