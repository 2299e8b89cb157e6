// Facts about typed arrays and ArrayBuffers read through the built-in getters, captured when this
// module loads, instead of through the value itself: a hostile value can shadow `length` or
// `buffer` with a throwing getter of its own, or fake the prototype chain
// (Object.create(Float32Array.prototype)), but cannot change what these getters read from the
// engine's internal slots. The native side reads those same slots, so what is checked here is
// what it will see.
import { types } from 'util';

type Getter = (this: unknown) => unknown;

function builtinGetter(proto: object, key: PropertyKey): Getter {
  const get = Object.getOwnPropertyDescriptor(proto, key)?.get;
  // Every supported Node has these; failing at load is better than a check that silently passes.
  if (get === undefined) throw new Error(`annoy-napi: the built-in getter ${String(key)} is missing`);
  return get as Getter;
}

const TYPED_ARRAY_PROTOTYPE: object = Object.getPrototypeOf(Uint8Array.prototype);
const typedLength = builtinGetter(TYPED_ARRAY_PROTOTYPE, 'length');
const typedName = builtinGetter(TYPED_ARRAY_PROTOTYPE, Symbol.toStringTag);
const typedBuffer = builtinGetter(TYPED_ARRAY_PROTOTYPE, 'buffer');
const typedByteOffset = builtinGetter(TYPED_ARRAY_PROTOTYPE, 'byteOffset');
const typedByteLength = builtinGetter(TYPED_ARRAY_PROTOTYPE, 'byteLength');
const dataViewBuffer = builtinGetter(DataView.prototype, 'buffer');
const dataViewByteOffset = builtinGetter(DataView.prototype, 'byteOffset');
const dataViewByteLength = builtinGetter(DataView.prototype, 'byteLength');
const arrayBufferByteLength = builtinGetter(ArrayBuffer.prototype, 'byteLength');
// ArrayBuffer.prototype.detached exists from Node 22 on; Node 20 needs the fallback below.
const arrayBufferDetached = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get as
  Getter | undefined;

/** The element type's name ('Float32Array', ...) and element count of a real typed array. */
export function typedArrayFacts(value: unknown): { name: string; length: number } | null {
  if (!types.isTypedArray(value)) return null;
  return { name: typedName.call(value) as string, length: typedLength.call(value) as number };
}

/** Whether a (real) ArrayBuffer has been transferred or detached; SharedArrayBuffers never are. */
export function isDetached(buffer: ArrayBuffer | SharedArrayBuffer): boolean {
  if (types.isSharedArrayBuffer(buffer)) return false;
  if (arrayBufferDetached !== undefined) return arrayBufferDetached.call(buffer) === true;
  if ((arrayBufferByteLength.call(buffer) as number) !== 0) return false;
  // Empty or detached: only a detached buffer refuses to back a new view.
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** The ArrayBuffer behind a real ArrayBuffer, SharedArrayBuffer, typed array or DataView. */
export function backingBuffer(value: unknown): ArrayBuffer | SharedArrayBuffer | null {
  if (types.isArrayBuffer(value) || types.isSharedArrayBuffer(value)) return value;
  if (types.isTypedArray(value)) return typedBuffer.call(value) as ArrayBuffer;
  if (types.isDataView(value)) return dataViewBuffer.call(value) as ArrayBuffer;
  return null;
}

/**
 * The bytes of a real binary value as a Uint8Array over the same memory (no copy), or null for
 * anything else. The caller checks isDetached(backingBuffer(value)) first: a DataView over a
 * detached buffer throws on every read.
 */
export function bytesOf(value: unknown): Uint8Array | null {
  if (types.isUint8Array(value)) return value;
  if (types.isArrayBuffer(value) || types.isSharedArrayBuffer(value)) return new Uint8Array(value);
  if (types.isTypedArray(value)) {
    const buffer = typedBuffer.call(value) as ArrayBuffer;
    return new Uint8Array(buffer, typedByteOffset.call(value) as number, typedByteLength.call(value) as number);
  }
  if (types.isDataView(value)) {
    const buffer = dataViewBuffer.call(value) as ArrayBuffer;
    return new Uint8Array(buffer, dataViewByteOffset.call(value) as number, dataViewByteLength.call(value) as number);
  }
  return null;
}
