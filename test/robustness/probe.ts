// Loads (possibly corrupt) index files in child processes and queries them, so that a crash or a
// hang in native code is reported per case instead of killing the jest worker.
import { describeChild, runChild } from '../helpers/tmp';

export interface ProbeCase {
  name: string;
  path: string;
  f: number;
  metric: string;
  prefault?: boolean;
  /** Query vector of length f. */
  query: number[];
}

export interface ProbeResult {
  name: string;
  /** 'loaded', 'load-error:CODE', or 'crashed'. */
  outcome: string;
  violations: string[];
  queries?: number;
  queryErrors?: string[];
}

export interface ProbeOptions {
  /** Codes load() may throw; null = any AnnoyError. */
  loadCodes: string[] | null;
  /** Codes a query may throw; null = any AnnoyError. */
  queryCodes: string[] | null;
  /** Per child process. */
  timeoutMs?: number;
}

// Child side: plain JavaScript, `lib`, `input` and `emit` are in scope.
const PROBE_BODY = `
const { Annoy } = lib;
const opts = input.opts;
function describeErr(e) { return (e && e.name) + '(' + (e && e.code) + '): ' + (e && e.message); }
function allowed(codes, e) { return e && e.name === 'AnnoyError' && (codes === null || codes.includes(e.code)); }

function checkResult(label, res, n, nItems, withDistances, violations) {
  let ids = res;
  if (withDistances) {
    if (!Array.isArray(res) || res.length !== 2) { violations.push(label + ': not an [ids, distances] pair'); return; }
    ids = res[0];
    const d = res[1];
    if (!Array.isArray(d) || !Array.isArray(ids) || d.length !== ids.length) { violations.push(label + ': distances do not match ids'); return; }
    for (const x of d) if (typeof x !== 'number') { violations.push(label + ': a distance is not a number'); break; }
  }
  if (!Array.isArray(ids)) { violations.push(label + ': ids not an array'); return; }
  if (ids.length > n) violations.push(label + ': ' + ids.length + ' results for n = ' + n);
  const seen = new Set();
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= nItems) { violations.push(label + ': invalid id ' + id + ' (n_items ' + nItems + ')'); break; }
    if (seen.has(id)) { violations.push(label + ': duplicate id ' + id); break; }
    seen.add(id);
  }
}

for (const c of input.cases) {
  emit({ start: c.name });
  const violations = [];
  const queryErrors = [];
  let outcome = 'loaded';
  let queries = 0;
  const index = new Annoy(c.f, c.metric);
  try {
    index.load(c.path, !!c.prefault);
  } catch (e) {
    outcome = 'load-error:' + (e && e.code);
    if (!allowed(opts.loadCodes, e)) violations.push('load threw ' + describeErr(e));
  }
  if (outcome === 'loaded') {
    let nItems = -1;
    try {
      nItems = index.getNItems();
      if (!Number.isInteger(nItems) || nItems < 0) violations.push('getNItems() returned ' + nItems);
      const t = index.getNTrees();
      if (!Number.isInteger(t) || t < 0) violations.push('getNTrees() returned ' + t);
    } catch (e) {
      if (!allowed(opts.queryCodes, e)) violations.push('counts threw ' + describeErr(e));
    }
    const calls = [];
    for (const [n, k] of [[10, -1], [10, 1], [10, 50], [Math.max(1, Math.min(nItems, 500)), 1000000]]) {
      calls.push(['getNnsByVector(q, ' + n + ', ' + k + ')', n, true, () => index.getNnsByVector(c.query, n, k)]);
      calls.push(['getNnsByVector(q, ' + n + ', ' + k + ', false)', n, false, () => index.getNnsByVector(c.query, n, k, false)]);
    }
    const itemIds = [0, 1, 2, 5, 17, nItems - 1, nItems - 2].filter((i, j, a) => i >= 0 && a.indexOf(i) === j);
    for (const i of itemIds) {
      calls.push(['getNnsByItem(' + i + ', 10)', 10, true, () => index.getNnsByItem(i, 10)]);
      calls.push(['getNnsByItem(' + i + ', 50, 1000000, false)', 50, false, () => index.getNnsByItem(i, 50, 1000000, false)]);
      calls.push(['getItemVector(' + i + ')', 0, null, () => index.getItemVector(i)]);
      calls.push(['getDistance(' + i + ', 0)', 0, null, () => index.getDistance(i, 0)]);
    }
    for (const [label, n, withDistances, fn] of calls) {
      queries++;
      let res;
      try {
        res = fn();
      } catch (e) {
        if (allowed(opts.queryCodes, e) || (e && e.name === 'AnnoyError' && (e.code === 'ANNOY_ID_OUT_OF_RANGE') && label.indexOf('getNnsByVector') < 0)) {
          queryErrors.push(label + ' -> ' + e.code);
        } else {
          violations.push(label + ' threw ' + describeErr(e));
        }
        continue;
      }
      if (withDistances === null) {
        if (label.startsWith('getItemVector')) {
          if (!Array.isArray(res) || res.length !== c.f) violations.push(label + ': not a vector of length f');
        } else if (typeof res !== 'number') violations.push(label + ': not a number');
      } else {
        checkResult(label, res, n, nItems, withDistances, violations);
      }
    }
  }
  try { index.unload(); } catch (e) { violations.push('unload threw ' + describeErr(e)); }
  emit({ done: c.name, outcome, violations, queries, queryErrors });
}
`;

/**
 * Probes every case. When a child dies (crash or hang), the case it was on is recorded as
 * 'crashed' and a new child continues with the next case.
 */
export function probe(cases: ProbeCase[], opts: ProbeOptions): Map<string, ProbeResult> {
  const results = new Map<string, ProbeResult>();
  let remaining = cases.slice();
  let attempts = 0;
  while (remaining.length > 0 && attempts < cases.length + 1) {
    attempts++;
    const res = runChild(PROBE_BODY, { cases: remaining, opts }, opts.timeoutMs ?? 15000);
    let current: string | null = null;
    for (const msg of res.messages) {
      if (msg.start) current = msg.start;
      if (msg.done) {
        results.set(msg.done, {
          name: msg.done,
          outcome: msg.outcome,
          violations: msg.violations,
          queries: msg.queries,
          queryErrors: msg.queryErrors,
        });
        current = null;
      }
    }
    const finished = new Set(results.keys());
    if (current !== null) {
      results.set(current, {
        name: current,
        outcome: 'crashed',
        violations: [`while probing this case the ${describeChild(res)}`],
      });
      finished.add(current);
    } else if (res.status !== 0) {
      // died before starting any case (e.g. the library failed to load)
      for (const c of remaining) {
        if (!finished.has(c.name)) {
          results.set(c.name, { name: c.name, outcome: 'crashed', violations: [`the ${describeChild(res)}`] });
          finished.add(c.name);
        }
      }
    }
    remaining = remaining.filter((c) => !finished.has(c.name));
  }
  return results;
}
