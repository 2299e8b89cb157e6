import { Annoy, AnnoyIndex, AnnoyError, ErrorCodes } from '../../lib';
import { expectCode } from '../helpers/tmp';

// Metric names go through `any`: the declared parameter type may be a union of literals, and
// these tests deliberately use spellings in other cases and with spaces.
const make = (f?: number, metric?: string): Annoy =>
  metric === undefined ? (f === undefined ? new Annoy() : new Annoy(f)) : new Annoy(f as number, metric as never);

const ALIASES: Record<string, string[]> = {
  angular: ['angular', 'cosine'],
  euclidean: ['euclidean', 'euclid', 'l2', 'lstsq'],
  manhattan: ['manhattan', 'cityblock', 'taxicab', 'l1'],
  dot: ['dot', 'dotproduct', 'inner_product', 'innerproduct', 'inner', 'ip', '.', '@'],
  hamming: ['hamming', 'ham'],
};

// d([1,2], [3,5]) under each metric: tells the metrics apart.
const EXPECTED_DISTANCE: Record<string, number> = {
  angular: Math.sqrt(2 - (2 * 13) / Math.sqrt(5 * 34)),
  euclidean: Math.sqrt(13),
  manhattan: 5,
  dot: 13,
  hamming: 0, // both vectors are the bits [1, 1]
};

const aliasRows: Array<[string, string]> = [];
for (const [canonical, names] of Object.entries(ALIASES)) {
  for (const name of names) aliasRows.push([name, canonical]);
}

describe('new Annoy()', () => {
  it('defaults to f = 0 and the angular metric', () => {
    const index = make();
    expect(index.f).toBe(0);
    expect(index.metric).toBe('angular');
    expect(index.getNItems()).toBe(0);
    expect(index.getNTrees()).toBe(0);
  });

  it('defaults the metric to angular when only f is given', () => {
    const index = make(7);
    expect(index.f).toBe(7);
    expect(index.metric).toBe('angular');
  });

  it.each(Object.keys(ALIASES))('accepts the canonical name %s', (metric) => {
    const index = make(3, metric);
    expect(index.metric).toBe(metric);
    expect(index.f).toBe(3);
  });

  it.each(aliasRows)('maps alias %j to %s', (alias, canonical) => {
    expect(make(2, alias).metric).toBe(canonical);
  });

  it.each(aliasRows)('is case-insensitive and ignores surrounding spaces (%j -> %s)', (alias, canonical) => {
    expect(make(2, alias.toUpperCase()).metric).toBe(canonical);
    const mixed = alias
      .split('')
      .map((c, k) => (k % 2 ? c.toUpperCase() : c))
      .join('');
    expect(make(2, mixed).metric).toBe(canonical);
    expect(make(2, `  ${alias}\t`).metric).toBe(canonical);
  });

  it.each(aliasRows)('an index made with alias %j measures distances as %s', (alias, canonical) => {
    const index = make(2, alias);
    index.addItem(0, [1, 2]).addItem(1, [3, 5]);
    if (canonical === 'dot') index.build(1, 1); // dot distances are the plain dot product either way
    expect(index.getDistance(0, 1)).toBeCloseTo(EXPECTED_DISTANCE[canonical], 4);
  });

  describe('f = 0 (dimension inferred from the first vector)', () => {
    it.each(['angular', 'euclidean', 'manhattan', 'dot'])('%s: the first vector fixes f', (metric) => {
      const index = make(0, metric);
      expect(index.f).toBe(0);
      index.addItem(0, [1, 2, 3, 4]);
      expect(index.f).toBe(4);
      expect(index.info().dimension).toBe(4);
      index.addItem(1, [4, 3, 2, 1]);
      expect(index.getNItems()).toBe(2);
      expect(index.getItemVector(1)).toEqual([4, 3, 2, 1]);
    });

    it('a Float32Array first vector fixes f', () => {
      const index = make(0, 'euclidean');
      index.addItem(0, new Float32Array([1, 2, 3]));
      expect(index.f).toBe(3);
    });

    it('hamming: f is the bit count of the first vector', () => {
      const index = make(0, 'hamming');
      index.addItem(0, [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
      expect(index.f).toBe(10);
      expect(index.getItemVector(0)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    });

    it('an inferred-f index builds and answers queries', () => {
      const index = make(0, 'euclidean');
      index.addItem(0, [2, 2]).addItem(1, [3, 2]).addItem(2, [3, 3]).build(10);
      expect(index.getNnsByVector([4, 4], 3, -1, false)).toEqual([2, 1, 0]);
    });
  });
});

describe('AnnoyIndex', () => {
  it('is the same class as Annoy', () => {
    expect(AnnoyIndex).toBe(Annoy);
    const index = new AnnoyIndex(3, 'euclidean' as never);
    expect(index).toBeInstanceOf(Annoy);
    index.addItem(0, [1, 2, 3]);
    expect(index.getNItems()).toBe(1);
  });
});

describe('Annoy#f', () => {
  it('reports the dimension given to the constructor', () => {
    expect(make(12, 'dot').f).toBe(12);
  });

  it('stays fixed after items are added and after build', () => {
    const index = make(3, 'euclidean');
    index.addItem(0, [1, 2, 3]).build(2);
    expect(index.f).toBe(3);
  });
});

describe('Annoy#metric', () => {
  it('is the canonical name', () => {
    expect(make(2, 'COSINE').metric).toBe('angular');
    expect(make(2, 'L1').metric).toBe('manhattan');
    expect(make(2, 'Inner_Product').metric).toBe('dot');
  });
});

describe('Annoy#prefault', () => {
  it('is false by default', () => {
    expect(make(3, 'angular').prefault).toBe(false);
  });
});

describe('Annoy#onDiskPath / Annoy#on_disk_path', () => {
  it('is null when no file is involved', () => {
    const index = make(3, 'angular');
    expect(index.onDiskPath).toBeNull();
    expect(index.on_disk_path).toBeNull();
  });
});

describe('exports AnnoyError and ErrorCodes', () => {
  it('errors thrown by the index are AnnoyError instances with a code', () => {
    const err = expectCode(() => make(3, 'no-such-metric'), ErrorCodes.UNKNOWN_METRIC);
    expect(err).toBeInstanceOf(AnnoyError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AnnoyError');
  });

  it('errors from the native layer are AnnoyError instances too', () => {
    const index = make(3, 'euclidean');
    const err = expectCode(() => index.getNnsByVector([1, 2, 3], 1), ErrorCodes.NOT_BUILT);
    expect(err).toBeInstanceOf(AnnoyError);
  });
});
