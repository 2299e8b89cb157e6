// Issue #10, the contract violations: every hostile value, in every argument of the public API,
// must end in an AnnoyError with a string `code` (never a TypeError or RangeError from inside the
// library, e.g. while describing the value for the message), and leave the index as it was.
// Errors are matched by `name` and `code`: those made by the addon come from Node's realm.
/* eslint-disable no-sparse-arrays */
import { Annoy, setMaxInflatedBytes } from '../../lib';
import { CodedError, snapshot, tmpPath } from '../helpers/tmp';
import { builtIndex } from '../helpers/serving';

const F = 3;

interface Hostile {
  name: string;
  value: unknown;
  /** Reading any property of it throws (the options slots cannot ignore it). */
  throwsOnRead?: boolean;
  /** A non-object (options slots refuse it by type). */
  primitive?: boolean;
}

function throwing(what: string): never {
  throw new TypeError(`hostile ${what}`);
}

/** The property keys the library reads from `call`'s argument, recorded by a Proxy that answers
 * every read with undefined: the public API's own list, so a key it starts reading is covered. */
function keysRead(call: (recorder: object) => unknown): (string | symbol)[] {
  const keys = new Set<string | symbol>();
  const recorder = new Proxy({}, { get: (_target, key) => void keys.add(key) });
  try {
    call(recorder);
  } catch {
    // refused after the reads: only the keys matter
  }
  return [...keys];
}

// Keys the library might read from an options object, a state, a URL or a binary value: the
// option names (read from an options object) and a state's fields (read by fromState) as the
// library reads them, plus those of URLs, signals, binary values and conversions.
const READ_KEYS = [
  ...new Set([
    'length',
    'buffer',
    'byteLength',
    'byteOffset',
    'href',
    'protocol',
    'aborted',
    'addEventListener',
    'constructor',
    'then',
    'toJSON',
    'valueOf',
    'toString',
    ...keysRead((options) => new Annoy(F, 'euclidean').getItemVector(0, options as never)),
    ...keysRead((state) => Annoy.fromState(state as never)),
    '0',
    '1',
    Symbol.toPrimitive,
    Symbol.iterator,
    Symbol.toStringTag,
  ]),
];

function withThrowingGetters(): object {
  const target: object = {};
  for (const key of READ_KEYS)
    Object.defineProperty(target, key, { get: () => throwing(`getter ${String(key)}`), enumerable: true });
  return target;
}

// A handler whose every trap throws: the handler itself is a Proxy answering each trap lookup.
const THROWING_HANDLER = new Proxy({}, { get: (_target, trap) => () => throwing(`trap ${String(trap)}`) });

function revoked(target: object): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

function detached<T extends ArrayBufferView>(view: T): T {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
  return view;
}

function hugeSparse(): unknown[] {
  const a: unknown[] = [];
  a.length = 2 ** 32 - 1;
  return a;
}

const HOSTILE: Hostile[] = [
  { name: 'a bigint', value: 10n, primitive: true },
  { name: 'a symbol', value: Symbol('hostile'), primitive: true },
  { name: '{ toString: 1 }', value: { toString: 1 } },
  { name: 'an object with throwing getters', value: withThrowingGetters(), throwsOnRead: true },
  {
    name: 'an object whose conversions throw',
    value: { [Symbol.toPrimitive]: () => throwing('toPrimitive'), toString: () => throwing('toString') },
  },
  { name: 'a fake Float32Array', value: Object.create(Float32Array.prototype) },
  { name: 'a fake Uint8Array', value: Object.create(Uint8Array.prototype) },
  { name: 'a Proxy whose every trap throws', value: new Proxy({}, THROWING_HANDLER), throwsOnRead: true },
  { name: 'an array Proxy whose every trap throws', value: new Proxy([], THROWING_HANDLER), throwsOnRead: true },
  { name: 'a revoked Proxy', value: revoked({}), throwsOnRead: true },
  { name: 'a revoked array Proxy', value: revoked([]), throwsOnRead: true },
  { name: 'an object with a null prototype', value: Object.create(null) },
  { name: 'a sparse array', value: [1, , 3] },
  { name: 'a sparse array of length 2^32 - 1', value: hugeSparse() },
  { name: 'a detached Float32Array', value: detached(new Float32Array(3)) },
  { name: 'a detached Uint8Array', value: detached(new Uint8Array(64)) },
  { name: 'a detached ArrayBuffer', value: detached(new Uint8Array(64)).buffer },
  { name: 'a detached DataView', value: detached(new DataView(new ArrayBuffer(64))) },
];

const ALL = (): boolean => true;
// An options object may be any object: only values that are not objects, or whose reads throw,
// are bad in that position.
const BAD_OPTIONS = (h: Hostile) => h.primitive === true || h.throwsOnRead === true || Array.isArray(h.value);
const NOT_A_SEED = (h: Hostile) => typeof h.value !== 'bigint';

type Target = 'built' | 'unbuilt';

interface Slot {
  name: string;
  target: Target;
  values: (h: Hostile) => boolean;
  call: (index: any, v: unknown) => unknown;
}

const GOOD_STATE = (() => {
  const index = builtIndex('euclidean', 20, F, { trees: 2 }).index;
  index.pickleMode = 'byte';
  index.compressMode = 'gzip';
  return index.toState();
})();
const GOOD_BYTES = builtIndex('euclidean', 20, F, { trees: 2 }).index.serialize();
const ROWS = [
  [1, 0, 0],
  [0, 1, 0],
];
const PATH = tmpPath('hostile.ann');

/** A slot: `call` passes each hostile value that `values` picks to an index of `target`. */
const slot = (name: string, target: Target, values: Slot['values'], call: Slot['call']): Slot => ({
  name,
  target,
  values,
  call,
});
// An object in a searchK position is the options form: only one whose reads throw is bad there.
const READS_THROW = (h: Hostile) => h.throwsOnRead === true;

const SLOTS: Slot[] = [
  slot('new Annoy(f)', 'built', ALL, (_i, v) => new Annoy(v as never)),
  slot('new Annoy(3, metric)', 'built', ALL, (_i, v) => new Annoy(3, v as never)),
  slot('addItem(i)', 'unbuilt', ALL, (i, v) => i.addItem(v, [1, 2, 3])),
  slot('addItem(0, vector)', 'unbuilt', ALL, (i, v) => i.addItem(0, v)),
  slot('addItems(vectors)', 'unbuilt', ALL, (i, v) => i.addItems(v)),
  slot('addItems([v])', 'unbuilt', ALL, (i, v) => i.addItems([v])),
  slot('addItems(rows, options)', 'unbuilt', BAD_OPTIONS, (i, v) => i.addItems(ROWS, v)),
  slot('addItems(rows, { startId })', 'unbuilt', ALL, (i, v) => i.addItems(ROWS, { startId: v })),
  slot('build(nTrees)', 'unbuilt', ALL, (i, v) => i.build(v)),
  slot('build(2, nJobs)', 'unbuilt', ALL, (i, v) => i.build(2, v)),
  slot('buildAsync(nTrees)', 'unbuilt', ALL, (i, v) => i.buildAsync(v)),
  slot('buildAsync(2, options)', 'unbuilt', BAD_OPTIONS, (i, v) => i.buildAsync(2, v)),
  ...(['nJobs', 'onProgress', 'signal'] as const).map((key) =>
    slot(`buildAsync(2, { ${key} })`, 'unbuilt', ALL, (i, v) => i.buildAsync(2, { [key]: v })),
  ),
  slot('buildGraph(options)', 'built', BAD_OPTIONS, (i, v) => i.buildGraph(v)),
  slot('buildGraphAsync(options)', 'built', BAD_OPTIONS, (i, v) => i.buildGraphAsync(v)),
  ...(['degree', 'nJobs'] as const).map((key) =>
    slot(`buildGraph({ ${key} })`, 'built', ALL, (i, v) => i.buildGraph({ [key]: v })),
  ),
  ...(['degree', 'nJobs', 'onProgress', 'signal'] as const).map((key) =>
    slot(`buildGraphAsync({ ${key} })`, 'built', ALL, (i, v) => i.buildGraphAsync({ [key]: v })),
  ),
  slot('saveGraph(path)', 'built', ALL, (i, v) => i.saveGraph(v)),
  slot('loadGraph(path)', 'built', ALL, (i, v) => i.loadGraph(v)),
  slot('getNnsByItem(i)', 'built', ALL, (i, v) => i.getNnsByItem(v, 3)),
  slot('getNnsByItem(0, n)', 'built', ALL, (i, v) => i.getNnsByItem(0, v)),
  slot(
    'getNnsByItem(0, 3, searchK)',
    'built',
    (h) => h.primitive === true,
    (i, v) => i.getNnsByItem(0, 3, v),
  ),
  slot('getNnsByItem(0, 3, -1, includeDistances)', 'built', ALL, (i, v) => i.getNnsByItem(0, 3, -1, v)),
  slot('getNnsByVector(vector)', 'built', ALL, (i, v) => i.getNnsByVector(v, 3)),
  slot('getNnsByVector(q, n)', 'built', ALL, (i, v) => i.getNnsByVector([1, 0, 0], v)),
  slot('getNnsByVector(q, 3, -1, includeDistances)', 'built', ALL, (i, v) => i.getNnsByVector([1, 0, 0], 3, -1, v)),
  ...(['searchK', 'ef', 'graph', 'includeDistances', 'allow', 'deny'] as const).flatMap((key) => [
    slot(`getNnsByItem(0, 3, { ${key} })`, 'built', ALL, (i, v) => i.getNnsByItem(0, 3, { [key]: v })),
    slot(`getNnsByVector(q, 3, { ${key} })`, 'built', ALL, (i, v) => i.getNnsByVector([1, 0, 0], 3, { [key]: v })),
  ]),
  ...(['query', 'querySync'] as const).flatMap((m) => [
    slot(`${m}(vectors)`, 'built', ALL, (i, v) => i[m](v, 3)),
    slot(`${m}([v])`, 'built', ALL, (i, v) => i[m]([v], 3)),
    slot(`${m}(rows, k)`, 'built', ALL, (i, v) => i[m](ROWS, v)),
    slot(`${m}(rows, 3, options)`, 'built', BAD_OPTIONS, (i, v) => i[m](ROWS, 3, v)),
  ]),
  ...(['queryByItems', 'queryByItemsSync'] as const).flatMap((m) => [
    slot(`${m}(ids)`, 'built', ALL, (i, v) => i[m](v, 3)),
    slot(`${m}([v])`, 'built', ALL, (i, v) => i[m]([v], 3)),
    slot(`${m}(ids, k)`, 'built', ALL, (i, v) => i[m]([0, 1], v)),
    slot(`${m}(ids, 3, options)`, 'built', BAD_OPTIONS, (i, v) => i[m]([0, 1], 3, v)),
  ]),
  ...(['query', 'querySync', 'queryByItems', 'queryByItemsSync'] as const).flatMap((m) =>
    (['searchK', 'ef', 'graph', 'threads', 'includeDistances', 'allow', 'deny'] as const).map((key) =>
      slot(`${m}(…, 3, { ${key} })`, 'built', ALL, (i, v) =>
        i[m](m.startsWith('queryByItems') ? [0, 1] : ROWS, 3, { [key]: v }),
      ),
    ),
  ),
  slot('getDistance(i, 0)', 'built', ALL, (i, v) => i.getDistance(v, 0)),
  slot('getDistance(0, j)', 'built', ALL, (i, v) => i.getDistance(0, v)),
  slot('getItemVector(i)', 'built', ALL, (i, v) => i.getItemVector(v)),
  slot('getItemVector(0, { out })', 'built', ALL, (i, v) => i.getItemVector(0, { out: v })),
  slot('getItemVector(0, options)', 'built', BAD_OPTIONS, (i, v) => i.getItemVector(0, v)),
  slot('getNnsByItem(0, 3, options)', 'built', READS_THROW, (i, v) => i.getNnsByItem(0, 3, v)),
  slot('getNnsByVector(q, 3, options)', 'built', READS_THROW, (i, v) => i.getNnsByVector([1, 0, 0], 3, v)),
  ...(['save', 'load'] as const).flatMap((m) => [
    slot(`${m}(path)`, 'built', ALL, (i, v) => i[m](v)),
    slot(`${m}(file, prefault)`, 'built', ALL, (i, v) => i[m](PATH, v)),
    slot(`${m}Async(path)`, 'built', ALL, (i, v) => i[`${m}Async`](v)),
    slot(`${m}Async(file, options)`, 'built', BAD_OPTIONS, (i, v) => i[`${m}Async`](PATH, v)),
    slot(`${m}Async(file, { prefault })`, 'built', ALL, (i, v) => i[`${m}Async`](PATH, { prefault: v })),
  ]),
  slot('onDiskBuild(path)', 'unbuilt', ALL, (i, v) => i.onDiskBuild(v)),
  slot('deserialize(bytes)', 'built', ALL, (i, v) => i.deserialize(v)),
  slot('deserialize(good, prefault)', 'built', ALL, (i, v) => i.deserialize(GOOD_BYTES, v)),
  slot('Annoy.fromState(state)', 'built', ALL, (_i, v) => Annoy.fromState(v as never)),
  ...Object.keys(GOOD_STATE).map((key) =>
    slot(`Annoy.fromState({ …, ${key} })`, 'built', key === 'seed' ? NOT_A_SEED : ALL, (_i, v) =>
      Annoy.fromState({ ...GOOD_STATE, [key]: v } as never),
    ),
  ),
  slot('Annoy.loads(bytes)', 'built', ALL, (_i, v) => Annoy.loads(v as never)),
  slot('setSeed(seed)', 'unbuilt', NOT_A_SEED, (i, v) => i.setSeed(v)),
  slot('verbose(level)', 'built', ALL, (i, v) => i.verbose(v)),
  ...['pickleMode', 'pickle_mode', 'compressMode', 'compress_mode', 'prefault'].map((key) =>
    slot(`index.${key} = v`, 'built', ALL, (i, v) => {
      i[key] = v;
    }),
  ),
  slot('setMaxInflatedBytes(bytes)', 'built', ALL, (_i, v) => setMaxInflatedBytes(v as never)),
];

function fresh(target: Target): Annoy {
  if (target === 'built') return builtIndex('euclidean', 20, F, { trees: 2 }).index;
  const index = new Annoy(F, 'euclidean');
  index.addItems([
    [1, 2, 3],
    [3, 2, 1],
    [0, 1, 0],
  ]);
  return index;
}

/** What the call did: 'AnnoyError(code)', or a description of anything else. */
async function outcome(call: () => unknown): Promise<string> {
  let error: unknown;
  try {
    await call();
    return 'returned';
  } catch (e) {
    error = e;
  }
  const err = error as Partial<CodedError> | null;
  if (
    err &&
    err.name === 'AnnoyError' &&
    typeof err.code === 'string' &&
    err.code.startsWith('ANNOY_') &&
    typeof err.message === 'string'
  ) {
    return 'AnnoyError';
  }
  return `${err?.name}(${err?.code}): ${err?.message}`;
}

describe('every hostile value in every argument: an AnnoyError, and the index intact', () => {
  it.each(SLOTS.map((s) => [s.name, s] as const))('%s', async (_name, slot) => {
    const index = fresh(slot.target);
    const before = snapshot(index);
    const failures: string[] = [];
    for (const h of HOSTILE.filter(slot.values)) {
      const got = await outcome(() => slot.call(index, h.value));
      if (got !== 'AnnoyError') failures.push(`${h.name}: ${got}`);
    }
    expect(failures).toEqual([]);
    expect(snapshot(index)).toEqual(before);
    if (slot.target === 'built') expect(index.getNnsByItem(0, 3, -1, false)).toHaveLength(3);
  });
});
