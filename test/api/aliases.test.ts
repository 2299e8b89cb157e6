import * as fs from 'fs';
import { Annoy } from '../../lib';
import { tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

const F = 5;
const ITEMS = makeVectors(200, F, 31337);
const QUERY = makeVectors(1, F, 1)[0];

function filled(): Annoy {
  const index = make(F, 'euclidean');
  ITEMS.forEach((v, i) => index.addItem(i, v));
  return index;
}

function built(): Annoy {
  return filled().build(3, 1);
}

function answers(index: Annoy): unknown[] {
  return [index.getNItems(), index.getNTrees(), index.getNnsByVector(QUERY, 10), index.getNnsByItem(3, 10)];
}

/** The error code a call throws, or 'no error'. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    const err = e as { name?: string; code?: string; errno?: number };
    return `${err.name}:${err.code}:${err.errno ?? ''}`;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

type Call = (index: Annoy, ...args: unknown[]) => any;
type Scenario = (call: Call) => Promise<unknown> | unknown;

/**
 * load and deserialize: the call on a fresh index returns it; the answers after it and after a
 * prefaulted call; `extra` of the index; the error code of a call on `bad`.
 */
function restoring(
  call: Call,
  source: unknown,
  bad: unknown,
  extra: (index: Annoy) => unknown[] = () => [],
): unknown[] {
  const index = make(F, 'euclidean');
  const r = call(index, source);
  const pre = call(make(F, 'euclidean'), source, true);
  return [r === index, answers(index), answers(pre), ...extra(index), codeOf(() => call(make(F, 'euclidean'), bad))];
}

let savedFile: string;
beforeAll(() => {
  savedFile = tmpPath('alias-shared.ann');
  built().save(savedFile);
});

const TABLE: Array<[string, string, Scenario]> = [
  [
    'add_item',
    'addItem',
    (call) => {
      const index = make(F, 'euclidean');
      const r = call(index, 0, [1, 2, 3, 4, 5]);
      call(index, 3, new Float32Array([5, 4, 3, 2, 1]));
      return [
        r === index,
        index.getNItems(),
        index.getItemVector(0),
        index.getItemVector(3),
        codeOf(() => call(index, 1, [1, 2])),
      ];
    },
  ],
  [
    'build',
    'build',
    (call) => {
      const index = filled();
      const r = call(index, 3, 1);
      return [r === index, answers(index), codeOf(() => call(index, 3))];
    },
  ],
  [
    'unbuild',
    'unbuild',
    (call) => {
      const index = built();
      const r = call(index);
      return [
        r === index,
        index.getNTrees(),
        index.getNItems(),
        codeOf(() => call(make(F, 'euclidean').load(savedFile))),
      ];
    },
  ],
  [
    'get_nns_by_item',
    'getNnsByItem',
    (call) => {
      const index = built();
      return [
        call(index, 3, 5),
        call(index, 3, 5, -1),
        call(index, 3, 5, -1, false),
        call(index, 3, 5, 10, true),
        call(index, 3, 5, 0),
        codeOf(() => call(index, 1000, 5)),
        codeOf(() => call(filled(), 0, 5)),
      ];
    },
  ],
  [
    'get_nns_by_vector',
    'getNnsByVector',
    (call) => {
      const index = built();
      return [
        call(index, QUERY, 5),
        call(index, new Float32Array(QUERY), 5, -1),
        call(index, QUERY, 5, -1, false),
        call(index, QUERY, 500, 10, true),
        codeOf(() => call(index, [1, 2], 5)),
      ];
    },
  ],
  [
    'get_distance',
    'getDistance',
    (call) => {
      const index = built();
      return [call(index, 1, 2), call(index, 2, 1), call(index, 5, 5), codeOf(() => call(index, 0, 1000))];
    },
  ],
  [
    'get_item_vector',
    'getItemVector',
    (call) => {
      const index = filled();
      return [call(index, 4), call(index, 199), codeOf(() => call(index, 200))];
    },
  ],
  ['get_n_items', 'getNItems', (call) => [call(filled()), call(make(F, 'angular'))]],
  ['get_n_trees', 'getNTrees', (call) => [call(built()), call(filled())]],
  [
    'save',
    'save',
    (call) => {
      const index = built();
      const p = tmpPath();
      const r = call(index, p);
      const p2 = tmpPath();
      call(index, p2, true);
      return [
        r === index,
        fs.readFileSync(p).toString('base64'),
        fs.readFileSync(p2).toString('base64'),
        codeOf(() => index.addItem(0, ITEMS[0])),
        codeOf(() => call(filled(), tmpPath())),
      ];
    },
  ],
  [
    'load',
    'load',
    (call) => restoring(call, savedFile, tmpPath('missing.ann'), (index) => [index.onDiskPath === savedFile]),
  ],
  [
    'unload',
    'unload',
    (call) => {
      const index = make(F, 'euclidean').load(savedFile);
      const r = call(index);
      return [r === index, index.getNItems(), index.getNTrees(), index.onDiskPath];
    },
  ],
  [
    'on_disk_build',
    'onDiskBuild',
    (call) => {
      const p = tmpPath();
      const index = make(F, 'euclidean');
      const r = call(index, p);
      ITEMS.forEach((v, i) => index.addItem(i, v));
      index.build(3, 1);
      return [r === index, index.onDiskPath === p, answers(index), fs.readFileSync(p).toString('base64')];
    },
  ],
  ['serialize', 'serialize', (call) => Buffer.from(call(built()) as Uint8Array).toString('base64')],
  ['deserialize', 'deserialize', (call) => restoring(call, built().serialize(), Buffer.from('garbage'))],
  [
    'set_seed',
    'setSeed',
    (call) => {
      const index = filled();
      const r = call(index, 42);
      index.build(3, 1);
      const p = tmpPath();
      index.save(p);
      const other = filled();
      call(other, 42n);
      const s42 = String(other.info().seed);
      call(other);
      return [r, fs.readFileSync(p).toString('base64'), s42, String(other.info().seed), codeOf(() => call(other, -1))];
    },
  ],
  [
    'verbose',
    'verbose',
    async (call) => {
      const index = filled();
      const log: unknown[] = [];
      index.logger = (_level: unknown, message: unknown) => log.push(message);
      const r = call(index, 1);
      index.build(2, 1);
      await settle();
      const quiet = filled();
      const log0: unknown[] = [];
      quiet.logger = (_level: unknown, message: unknown) => log0.push(message);
      call(quiet, 0);
      quiet.build(2, 1);
      await settle();
      return [r === index, log.length > 0, log0.length];
    },
  ],
  [
    'info',
    'info',
    (call) => {
      const a = call(built());
      const b = call(make(F, 'euclidean').load(savedFile));
      return [
        { ...a, seed: String(a.seed) },
        { ...b, seed: String(b.seed) },
      ];
    },
  ],
  [
    'build_graph',
    'buildGraph',
    (call) => {
      const index = built();
      const r = call(index, { degree: 4, nJobs: 1 });
      return [r === index, index.info().graph, answers(index), codeOf(() => call(filled()))];
    },
  ],
  [
    'build_graph_async',
    'buildGraphAsync',
    async (call) => {
      const index = built();
      const r = await call(index, { degree: 4, nJobs: 1 });
      return [r === index, index.info().graph, answers(index)];
    },
  ],
  [
    'save_graph',
    'saveGraph',
    (call) => {
      const index = built().buildGraph({ degree: 4, nJobs: 1 });
      const file = tmpPath('alias.graph');
      const r = call(index, file);
      return [r === index, fs.readFileSync(file).toString('base64'), codeOf(() => call(built(), tmpPath('no.graph')))];
    },
  ],
  [
    'load_graph',
    'loadGraph',
    (call) => {
      const file = tmpPath('alias-load.graph');
      built().buildGraph({ degree: 4, nJobs: 1 }).saveGraph(file);
      const index = built();
      const r = call(index, file);
      return [r === index, index.info().graph, answers(index), codeOf(() => call(filled(), file))];
    },
  ],
  [
    'drop_graph',
    'dropGraph',
    (call) => {
      const index = built().buildGraph({ degree: 4, nJobs: 1 });
      const r = call(index);
      return [r === index, index.info().graph, answers(index)];
    },
  ],
  [
    'memory_usage',
    'memoryUsage',
    (call) => [call(filled()), call(built()), call(make(F, 'euclidean').load(savedFile))],
  ],
];

describe('snake_case aliases', () => {
  it.each(TABLE)('Annoy#%s() is a function like Annoy#%s()', (snake, camel) => {
    const index = make(3, 'angular') as unknown as Record<string, unknown>;
    expect(typeof index[snake]).toBe('function');
    expect(typeof index[camel]).toBe('function');
  });

  it.each(TABLE)('Annoy#%s() behaves exactly like Annoy#%s()', async (snake, camel, scenario) => {
    const viaCamel = await scenario((index, ...args) =>
      (index as unknown as Record<string, (...a: unknown[]) => unknown>)[camel](...args),
    );
    const viaSnake = await scenario((index, ...args) =>
      (index as unknown as Record<string, (...a: unknown[]) => unknown>)[snake](...args),
    );
    expect(viaSnake).toEqual(viaCamel);
  });

  it('the on_disk_path property mirrors onDiskPath', () => {
    const index = make(F, 'euclidean');
    expect(index.on_disk_path).toBe(index.onDiskPath);
    index.load(savedFile);
    expect(index.on_disk_path).toBe(index.onDiskPath);
    expect(index.onDiskPath).toBe(savedFile);
  });
});
