// Deterministic pseudo-random data for the tests: the same seed gives the same numbers on every
// machine and every run (mulberry32 for uniforms, Box-Muller for gaussians).

/** mulberry32: a tiny 32-bit PRNG; returns uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly uniform: () => number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.uniform = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, caching the second value). */
  gaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A gaussian vector of length f. */
  vector(f: number): number[] {
    const out = new Array<number>(f);
    for (let k = 0; k < f; k++) out[k] = this.gaussian();
    return out;
  }

  /** A 0/1 vector of length f (for hamming). */
  bits(f: number): number[] {
    const out = new Array<number>(f);
    for (let k = 0; k < f; k++) out[k] = this.uniform() < 0.5 ? 0 : 1;
    return out;
  }
}

/** n gaussian vectors of dimension f, deterministic in `seed`. */
export function makeVectors(n: number, f: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(rng.vector(f));
  return out;
}

/** n random 0/1 vectors of f bits, deterministic in `seed`. */
export function makeBitVectors(n: number, f: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(rng.bits(f));
  return out;
}

/** n items for `metric`: for hamming 0/1 bits drawn from `rng` (which advances), otherwise
 * makeVectors(n, f, seed). */
export function itemsFor(metric: string, n: number, f: number, rng: Rng, seed: number): number[][] {
  return metric === 'hamming' ? Array.from({ length: n }, () => rng.bits(f)) : makeVectors(n, f, seed);
}

/** Round every component through float32, as the index stores it. */
export function fround(v: ArrayLike<number>): number[] {
  return Array.from(v, (x) => Math.fround(x));
}
