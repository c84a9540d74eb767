/**
 * The realistic time model: processing time the emulator sleeps so a client sees the costs a
 * portal charges. Each figure and where it comes from:
 *
 * - `perMethodMs['*']` 16.5 ms per call: the median `time.processing` of the 1,438 documented
 *   response examples that show one (schema/**\/*.docs.json, docs commit in schema/SOURCE.yaml;
 *   test/time-model.test.ts recomputes it). List pages alone have a median of 15.2 ms over 175
 *   examples, so a page is charged as any call.
 * - `countRowUs` 20.87 µs per row counted for `total`: the docs measured one counted page over
 *   2,387,743 items at 49.90 s of processing and the same page with `start=-1` at 0.0685 s
 *   (https://apidocs.bitrix24.com/settings/performance/huge-data.html):
 *   (49.90 s − 0.0685 s) / 2,387,743 = 20.87 µs. A counted page over 1,000 rows costs
 *   16.5 + 20.9 = 37.4 ms, over 100 rows 18.6 ms; an uncounted page 16.5 ms.
 * - `skipRowUs` 2 µs per row skipped by `start`: the docs give no figure. Assumed: skipping reads
 *   index entries only, about a tenth of counting a row with its permission checks.
 *
 * The library default stays all zero (tests run at full speed); `b24 emulator` uses this model
 * unless told `--time-model off`.
 */
import type { TimeModel } from './methods/types.js';

export const realisticTimeModel: TimeModel = Object.freeze({
  countRowUs: 20.87,
  skipRowUs: 2,
  perMethodMs: Object.freeze({ '*': 16.5 }),
});
