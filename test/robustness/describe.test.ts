// lib/describe.ts: describing a bad value for an error message runs none of its code, so it can
// never throw, whatever the value; readSafely turns whatever a read throws into an AnnoyError.
import { describe as describeValue, describeThrown, readSafely } from '../../lib/describe';
import { expectCode } from '../helpers/tmp';

function trap(): never {
  throw new TypeError('hostile');
}

const THROWING_HANDLER = new Proxy({}, { get: () => trap });
const { proxy: revokedProxy, revoke } = Proxy.revocable({}, {});
revoke();
const detachedBuffer = new ArrayBuffer(8);
structuredClone(detachedBuffer, { transfer: [detachedBuffer] });
const shadowed = new Float32Array(4);
Object.defineProperty(shadowed, 'length', { get: trap });
Object.defineProperty(shadowed, 'constructor', { get: trap });
const hostileConstructor = Object.create({
  get constructor() {
    return trap();
  },
});

const CASES: Array<[string, unknown, string]> = [
  ['a bigint', 10n, 'bigint 10n'],
  ['a symbol', Symbol('s'), 'symbol Symbol(s)'],
  ['-0', -0, 'number -0'],
  ['undefined', undefined, 'undefined'],
  ['a string with quotes and control characters', 'a"\n', 'the string "a\\u0022\\u000a"'],
  ['a long string', 'x'.repeat(100), `the string "${'x'.repeat(40)}…"`],
  ['{ toString: 1 }', { toString: 1 }, 'an object (Object)'],
  ['a null-prototype object', Object.create(null), 'an object with a null prototype'],
  ['a Proxy whose traps throw', new Proxy({}, THROWING_HANDLER), 'a Proxy'],
  ['a revoked Proxy', revokedProxy, 'a Proxy'],
  ['a fake Float32Array', Object.create(Float32Array.prototype), 'an object (Float32Array)'],
  ['a Float32Array with shadowed getters', shadowed, 'a Float32Array of length 4'],
  ['a prototype whose constructor getter throws', hostileConstructor, 'an object'],
  ['a detached ArrayBuffer', detachedBuffer, 'a detached ArrayBuffer'],
  ['an array', [1, , 3], 'an array of length 3'], // eslint-disable-line no-sparse-arrays
  ['a function', trap, 'a function'],
];

describe('describe()', () => {
  it.each(CASES)('%s', (_name, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});

describe('describeThrown()', () => {
  it('gives an Error its message, anything else its description, and never throws', () => {
    expect(describeThrown(new RangeError('too big'))).toBe('too big');
    const sneaky = new Error('x');
    Object.defineProperty(sneaky, 'message', { get: trap });
    expect(describeThrown(sneaky)).toBe('an object (Error)');
    expect(describeThrown(revokedProxy)).toBe('a Proxy');
    expect(describeThrown(Object.create(null))).toBe('an object with a null prototype');
  });
});

describe('readSafely()', () => {
  it('turns a throwing read into an AnnoyError keeping the cause, and lets AnnoyErrors through', () => {
    const err = expectCode(
      () => readSafely('options', () => (revokedProxy as { a?: unknown }).a),
      'ANNOY_INVALID_ARGUMENT',
    );
    expect(err.message).toContain('options: reading it threw');
    expect(((err as Error & { cause?: Error }).cause as Error).name).toBe('TypeError');
    expectCode(() => readSafely('state', () => trap(), 'ANNOY_CORRUPT'), 'ANNOY_CORRUPT');
    const inner = expectCode(
      () => readSafely('x', () => readSafely('inner', () => trap(), 'ANNOY_CORRUPT')),
      'ANNOY_CORRUPT',
    );
    expect(inner.message).toContain('inner');
    expect(readSafely('x', () => 5)).toBe(5);
  });
});
