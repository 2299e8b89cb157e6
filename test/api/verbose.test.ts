import { Annoy } from '../../lib';
import { tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

type Entry = { level: unknown; message: unknown };

function collecting(index: Annoy): Entry[] {
  const log: Entry[] = [];
  index.logger = (level: unknown, message: unknown) => {
    log.push({ level, message });
  };
  return log;
}

function filled(n = 300, f = 5): Annoy {
  const index = make(f, 'euclidean');
  makeVectors(n, f, 3).forEach((v, i) => index.addItem(i, v));
  return index;
}

// Messages from build threads may be delivered on a later tick.
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** What a fresh logger on `index` (by default filled()) receives from `run` and the ticks after it. */
async function logOf(run: (index: Annoy) => unknown, index = filled()): Promise<Entry[]> {
  const log = collecting(index);
  run(index);
  await settle();
  return log;
}

describe('Annoy#verbose()', () => {
  it('returns the index itself (chainable)', () => {
    const index = filled();
    collecting(index);
    expect(index.verbose(1)).toBe(index);
    expect(index.verbose(0)).toBe(index);
    expect(index.verbose()).toBe(index);
    expect(index.verbose(5)).toBe(index);
    expect(index.verbose(-3)).toBe(index);
  });

  it('level 1: the logger receives messages during build', async () => {
    const log = await logOf((index) => index.verbose(1).build(3, 1));
    expect(log.length).toBeGreaterThan(0);
    for (const e of log) {
      expect(typeof e.level).toBe('number');
      expect(typeof e.message).toBe('string');
      expect((e.message as string).length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['verbose() with no argument means level 1', (index: Annoy) => index.verbose().build(2, 1)],
    ['level 1 also reports a multi-threaded build', (index: Annoy) => index.verbose(1).build(4, 2)],
  ])('%s', async (_title, run) => {
    expect((await logOf(run)).length).toBeGreaterThan(0);
  });

  it.each([
    [
      'level 0 is silent during build, load and unload',
      (index: Annoy) => {
        index.verbose(0).build(3, 1);
        const p = tmpPath();
        index.save(p);
        index.unload().load(p).unload();
      },
    ],
    ['is silent by default', (index: Annoy) => index.build(3, 1)],
    ['can be turned off again', (index: Annoy) => index.verbose(1).verbose(0).build(3, 1)],
  ])('%s', async (_title, run) => {
    expect(await logOf(run)).toEqual([]);
  });

  it('level 2 (debug) logs at least as much as level 1', async () => {
    const la = await logOf((a) => a.verbose(1).build(3, 1));
    const lb = await logOf((b) => b.verbose(2).build(3, 1));
    expect(lb.length).toBeGreaterThanOrEqual(la.length);
    expect(la.length).toBeGreaterThan(0);
  });

  it('the logger can be replaced: only the current one receives messages', async () => {
    const index = filled();
    const first = collecting(index);
    const second = collecting(index);
    index.verbose(1).build(3, 1);
    await settle();
    expect(first).toEqual([]);
    expect(second.length).toBeGreaterThan(0);
  });

  it('level 1 reports loading a file', async () => {
    const p = tmpPath();
    filled().build(2, 1).save(p);
    const log = await logOf((index) => index.verbose(1).load(p), make(5, 'euclidean'));
    expect(log.length).toBeGreaterThan(0);
  });

  it('has a default logger', () => {
    expect(typeof make(3, 'angular').logger).toBe('function');
  });
});
