/**
 * Splits a plain-data object (a Model, or anything shaped like one) into a small skeleton and a
 * list of binary chunks, and puts them back together. The walk knows no field names, so the
 * Model can grow without touching the cache.
 *
 * In the skeleton every typed array, and every long array of strings, is replaced by a reference
 *   { $chunks: [chunk ids...], type: 'Int32Array' | ... | 'string[]', length }
 * where `length` counts elements (strings for 'string[]'). A typed array longer than
 * `maxChunkBytes` is cut at element boundaries into several chunks; a string array becomes the
 * UTF-8 bytes of its JSON text (JSON escapes every character, so no separator can collide).
 * Everything else (numbers, including NaN and -0, strings, booleans, null, undefined, arrays,
 * plain objects) stays in the skeleton, which is stored by structured clone, not as JSON text.
 */

/** Default largest chunk: small enough that one IndexedDB value stays modest. */
export const DEFAULT_MAX_CHUNK_BYTES = 32 * 1024 * 1024;

/** Default shortest string array moved to a chunk; shorter ones (genre names, file names) stay inline. */
export const DEFAULT_STRING_ARRAY_CHUNK_LENGTH = 256;

/** The key that marks a chunk reference; a plain object in the input may not use it. */
export const CHUNK_REF_KEY = '$chunks';

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

export type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

/** What a skeleton holds in place of a typed array or a long string array. */
export interface ChunkRef {
  $chunks: number[];
  type: TypedArrayName | 'string[]';
  length: number;
}

export interface EncodeOptions {
  maxChunkBytes?: number;
  stringArrayChunkLength?: number;
}

export interface EncodedModel {
  skeleton: unknown;
  /**
   * Chunk i is referenced by id i. Chunks are views into the input's own buffers (no copy), so
   * they are only valid while the input is unchanged; `standaloneChunk` makes a storable copy.
   */
  chunks: ArrayBufferView[];
}

/** Thrown when a skeleton and its chunks do not fit together; the message says where and how. */
export class CacheFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheFormatError';
  }
}

/** Splits `value` into a skeleton and chunks. Throws TypeError on data that is not plain (naming the path). */
export function encodeModel(value: unknown, options: EncodeOptions = {}): EncodedModel {
  const maxChunkBytes = options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  const stringArrayChunkLength = options.stringArrayChunkLength ?? DEFAULT_STRING_ARRAY_CHUNK_LENGTH;
  if (!(maxChunkBytes >= 1)) throw new RangeError(`maxChunkBytes must be at least 1, got ${maxChunkBytes}`);
  const chunks: ArrayBufferView[] = [];
  // Ancestors on the current path: a cycle would make the walk endless.
  const ancestors = new Set<object>();

  const addPieces = (array: AnyTypedArray): number[] => {
    const perChunk = Math.max(1, Math.floor(maxChunkBytes / array.BYTES_PER_ELEMENT));
    const ids: number[] = [];
    for (let start = 0; start < array.length; start += perChunk) {
      ids.push(chunks.length);
      chunks.push(array.subarray(start, Math.min(start + perChunk, array.length)));
    }
    return ids;
  };

  const walk = (node: unknown, path: string): unknown => {
    if (node === null || typeof node !== 'object') {
      if (typeof node === 'function' || typeof node === 'symbol' || typeof node === 'bigint') {
        throw new TypeError(`Cannot cache ${path}: a ${typeof node} is not plain data.`);
      }
      return node;
    }
    const type = typedArrayName(node);
    if (type !== undefined) {
      const array = node as AnyTypedArray;
      const ref: ChunkRef = { $chunks: addPieces(array), type, length: array.length };
      return ref;
    }
    if (ancestors.has(node)) throw new TypeError(`Cannot cache ${path}: it contains itself.`);
    if (Array.isArray(node)) {
      // An empty array stays inline: zero chunks would decode as empty text, not "[]".
      if (node.length > 0 && node.length >= stringArrayChunkLength && node.every((s) => typeof s === 'string')) {
        const bytes = new TextEncoder().encode(JSON.stringify(node));
        const ref: ChunkRef = { $chunks: addPieces(bytes), type: 'string[]', length: node.length };
        return ref;
      }
      ancestors.add(node);
      const out = node.map((item, i) => walk(item, `${path}[${i}]`));
      ancestors.delete(node);
      return out;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) {
      const kind = Object.prototype.toString.call(node).slice(8, -1);
      throw new TypeError(`Cannot cache ${path}: a ${kind} is not a plain object, array or typed array.`);
    }
    ancestors.add(node);
    // Object.fromEntries defines own properties, so a key named "__proto__" stays a key.
    const out = Object.fromEntries(
      Object.entries(node).map(([key, item]) => {
        if (key === CHUNK_REF_KEY) {
          throw new TypeError(`Cannot cache ${path}: the key "${CHUNK_REF_KEY}" is reserved by the model cache.`);
        }
        return [key, walk(item, `${path}.${key}`)];
      }),
    );
    ancestors.delete(node);
    return out;
  };

  return { skeleton: walk(value, 'model'), chunks };
}

/**
 * A copy of `chunk` that holds only its own bytes, or `chunk` itself when it already does.
 * Structured cloning a subarray clones its whole underlying ArrayBuffer, and IndexedDB refuses a
 * SharedArrayBuffer, so a chunk is stored only as a view spanning a plain ArrayBuffer.
 */
export function standaloneChunk(chunk: ArrayBufferView): ArrayBufferView {
  const ownsBuffer =
    chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && Object.prototype.toString.call(chunk.buffer) === '[object ArrayBuffer]';
  if (ownsBuffer) return chunk;
  const type = typedArrayName(chunk);
  if (type !== undefined) return (chunk as AnyTypedArray).slice();
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice();
}

/**
 * Rebuilds the value `encodeModel` split. `takeChunk(id)` answers chunk `id`'s bytes (of any view
 * type); it is called once per id, so the caller may drop each chunk as soon as it is taken.
 * Every typed array comes back as one array of its original type; a single-chunk array reuses
 * the chunk's buffer when it can. Throws CacheFormatError when skeleton and chunks disagree.
 */
export function decodeModel(skeleton: unknown, takeChunk: (id: number) => ArrayBufferView | undefined): unknown {
  const taken = new Set<number>();
  const take = (id: unknown, path: string): Uint8Array => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || taken.has(id)) {
      throw new CacheFormatError(`${path} refers to chunk ${String(id)}, which is not a valid chunk id.`);
    }
    taken.add(id);
    const chunk = takeChunk(id);
    if (chunk === undefined || !ArrayBuffer.isView(chunk)) {
      throw new CacheFormatError(`${path} needs chunk ${id}, which is missing.`);
    }
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  };

  const joinBytes = (ids: unknown[], path: string): Uint8Array => {
    const parts = ids.map((id) => take(id, path));
    if (parts.length === 1) return parts[0];
    let total = 0;
    for (const p of parts) total += p.byteLength;
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  };

  const walk = (node: unknown, path: string): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (Object.prototype.hasOwnProperty.call(node, CHUNK_REF_KEY)) return rebuild(node as ChunkRef, path);
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, `${path}.${key}`)]));
  };

  const rebuild = (ref: ChunkRef, path: string): unknown => {
    if (!Array.isArray(ref.$chunks) || !Number.isSafeInteger(ref.length) || ref.length < 0) {
      throw new CacheFormatError(`${path} is a malformed chunk reference.`);
    }
    const bytes = joinBytes(ref.$chunks, path);
    if (ref.type === 'string[]') {
      let strings: unknown;
      try {
        strings = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw new CacheFormatError(`${path}: the saved text is not readable.`);
      }
      if (!Array.isArray(strings) || strings.length !== ref.length) {
        throw new CacheFormatError(`${path}: expected ${ref.length} strings in the saved text.`);
      }
      return strings;
    }
    if (!Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, ref.type)) {
      throw new CacheFormatError(`${path} has unknown array type "${String(ref.type)}".`);
    }
    const Ctor = TYPED_ARRAYS[ref.type] as unknown as {
      new (length: number): AnyTypedArray;
      new (buffer: ArrayBufferLike, byteOffset: number, length: number): AnyTypedArray;
      BYTES_PER_ELEMENT: number;
    };
    const expectedBytes = ref.length * Ctor.BYTES_PER_ELEMENT;
    if (bytes.byteLength !== expectedBytes) {
      throw new CacheFormatError(`${path}: expected ${ref.length} × ${ref.type} (${expectedBytes} bytes), found ${bytes.byteLength} bytes.`);
    }
    // Reuse the buffer when this view is all of it and aligned; otherwise copy into a fresh one.
    if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 && bytes.byteLength === bytes.buffer.byteLength) {
      return new Ctor(bytes.buffer, bytes.byteOffset, ref.length);
    }
    const out = new Ctor(ref.length);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  };

  return walk(skeleton, 'model');
}

/** The typed-array type name of `value`, or undefined. Uses the toStringTag so it works across realms. */
export function typedArrayName(value: unknown): TypedArrayName | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, tag) ? (tag as TypedArrayName) : undefined;
}
