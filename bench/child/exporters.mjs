// How each client exports every crm.deal row, the way its own documentation recommends.
// Each exporter calls `progress(count)` after a chunk and stops early when it returns false
// (the time window of a windowed run is over).

/** b24kit: `paginate` (keyset over >ID, start=-1, up to 50 pages chained per batch request). */
async function b24kit(url, progress, opts) {
  const { createClient } = await import('@b24kit/client');
  // `unlimited: true` only for the calibration run against an unlimited emulator.
  const b24 = createClient({ webhook: url, ...(opts.unlimited ? { limiter: false, operating: false } : {}) });
  try {
    let pending = 0;
    for await (const _row of b24.paginate('crm.deal.list', {})) {
      if (++pending === 50) {
        if (!progress(pending)) return;
        pending = 0;
      }
    }
    progress(pending);
  } finally {
    await b24.close();
  }
}

/** b24kit `paginateParallel` (4 id-range keyset chains sharing the limiter), through core. */
async function b24kitParallel(url, progress, opts) {
  const { createCaller } = await import('@b24kit/core');
  const { webhook } = await import('@b24kit/auth');
  const { findDescriptor } = await import('@b24kit/client');
  const caller = createCaller({
    credentials: webhook(url),
    ...(opts.unlimited ? { limiter: false, operating: false } : {}),
  });
  try {
    let pending = 0;
    for await (const _row of caller.paginateParallel(findDescriptor('crm.deal.list'), {}, { chains: 4 })) {
      if (++pending === 50) {
        if (!progress(pending)) return;
        pending = 0;
      }
    }
    progress(pending);
  } finally {
    await caller.close();
  }
}

/**
 * Official SDK: `actions.v2.fetchList.make` — its README's choice for large datasets (the
 * "fast algorithm": order by ID, filter >ID, start=-1, one page per request). B24Hook
 * accepts only https webhooks, so this runs against the TLS emulator.
 */
async function b24jssdk(url, progress) {
  const { B24Hook } = await import('@bitrix24/b24jssdk');
  const b24 = B24Hook.fromWebhookUrl(url.replace(/\/$/, ''));
  b24.offClientSideWarning();
  for await (const chunk of b24.actions.v2.fetchList.make({ method: 'crm.deal.list', params: {}, idKey: 'ID' })) {
    if (!progress(chunk.length)) return;
  }
}

/** @2bad/bitrix: the generic `list` (first call for `total`, then every offset page in batches of 50). */
async function twoBad(url, progress) {
  const mod = await import('@2bad/bitrix');
  const Bitrix = mod.default?.default ?? mod.default ?? mod.Bitrix;
  const bitrix = Bitrix(url.replace(/\/$/, ''));
  const payload = await bitrix.list('crm.deal.list', {});
  progress(payload.result.length);
}

// What each client loads before it can run. The export child loads it before its clock starts, so
// every client's time is its requests and their handling, not its module graph (the bound is
// about the request pattern; a client of many modules would otherwise pay for its size here).
b24kit.load = () => import('@b24kit/client');
b24kitParallel.load = () => Promise.all([import('@b24kit/core'), import('@b24kit/auth'), import('@b24kit/client')]);
b24jssdk.load = () => import('@bitrix24/b24jssdk');
twoBad.load = () => import('@2bad/bitrix');

export const exporters = { b24kit, 'b24kit-parallel': b24kitParallel, b24jssdk, '2bad': twoBad };
