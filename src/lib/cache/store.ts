/**
 * The key-value store the model cache writes to, shaped like idb-keyval's functions so that the
 * browser hands in idb-keyval (with `createStore('latentlens', 'kv')`) and Node tests hand in a
 * Map. The core never touches `indexedDB` itself: it stays importable from Node and workers.
 */

/** What the model cache needs from a store. Values must survive structured cloning. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/**
 * The subset of idb-keyval's module the adapter uses. `S` is idb-keyval's `UseStore`; it is a
 * type parameter so this file needs neither idb-keyval nor the DOM's IndexedDB types.
 */
export interface IdbKeyvalFunctions<S> {
  get(key: string, customStore?: S): Promise<unknown>;
  set(key: string, value: unknown, customStore?: S): Promise<void>;
  del(key: string, customStore?: S): Promise<void>;
  keys(customStore?: S): Promise<unknown[]>;
}

/**
 * Binds idb-keyval's functions to one custom store:
 * `idbKeyValueStore(idbKeyval, createStore('latentlens', 'kv'))` with
 * `import * as idbKeyval from 'idb-keyval'`.
 */
export function idbKeyValueStore<S>(idb: IdbKeyvalFunctions<S>, customStore: S): KeyValueStore {
  return {
    get: (key) => idb.get(key, customStore),
    set: (key, value) => idb.set(key, value, customStore),
    del: (key) => idb.del(key, customStore),
    // Other code may put non-string keys in the same object store; they are none of ours.
    keys: async () => (await idb.keys(customStore)).filter((k): k is string => typeof k === 'string'),
  };
}

/**
 * An in-memory store for tests and Node. Values are structured-cloned on the way in and out, as
 * IndexedDB does, so a test fails on anything that would not survive IndexedDB, and a caller
 * mutating what it got back cannot change what is stored.
 */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    async get(key) {
      return map.has(key) ? structuredClone(map.get(key)) : undefined;
    },
    async set(key, value) {
      rejectShared(value);
      map.set(key, structuredClone(value));
    },
    async del(key) {
      map.delete(key);
    },
    async keys() {
      // IndexedDB answers keys in ascending order; answer the same so tests see what browsers see.
      return [...map.keys()].sort();
    },
  };
}

/**
 * Node's structuredClone accepts a SharedArrayBuffer, but IndexedDB refuses it
 * ("serialize for storage" throws DataCloneError), so the memory store refuses it too.
 */
function rejectShared(value: unknown, depth = 0): void {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  const buffer = ArrayBuffer.isView(value) ? value.buffer : value;
  if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) {
    throw new DOMException('A SharedArrayBuffer cannot be stored in IndexedDB.', 'DataCloneError');
  }
  if (ArrayBuffer.isView(value)) return;
  for (const inner of Object.values(value)) rejectShared(inner, depth + 1);
}

/** Faults a `faultyStore` injects. Fields are read at each call, so a test may change them midway. */
export interface StoreFaults {
  /** The Nth call to set (1-based, counted from the wrapper's creation) rejects and writes nothing. */
  failSetAt?: number;
  /** When set, every set from this call on (1-based) rejects: a full disk stays full. */
  failSetsFrom?: number;
  /** The name of the DOMException a failing set rejects with; 'QuotaExceededError' by default. */
  failSetName?: string;
  /** Keys that behave as absent (get answers undefined, keys() omits them), as after eviction. */
  drop?: (key: string) => boolean;
  /** Keys whose value comes back with one bit flipped (byte `corruptByte`, default the middle one). */
  corrupt?: (key: string) => boolean;
  corruptByte?: number;
}

/** A store wrapper that misbehaves on purpose, for tests; `setCalls` counts set calls so far. */
export interface FaultyStore extends KeyValueStore {
  readonly setCalls: number;
  readonly faults: StoreFaults;
}

/** Wraps `inner` so that writes fail, keys vanish or bytes rot as `faults` says. */
export function faultyStore(inner: KeyValueStore, faults: StoreFaults = {}): FaultyStore {
  let setCalls = 0;
  return {
    faults,
    get setCalls() {
      return setCalls;
    },
    async get(key) {
      if (faults.drop?.(key)) return undefined;
      const value = await inner.get(key);
      if (faults.corrupt?.(key) && ArrayBuffer.isView(value) && value.byteLength > 0) {
        // Flip a bit in a copy so the stored value stays intact for later assertions.
        const bytes = new Uint8Array(value.byteLength);
        bytes.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        const at = Math.min(faults.corruptByte ?? bytes.length >> 1, bytes.length - 1);
        bytes[at] ^= 1;
        const Ctor = value.constructor as new (buffer: ArrayBuffer) => ArrayBufferView;
        return new Ctor(bytes.buffer);
      }
      return value;
    },
    async set(key, value) {
      setCalls++;
      const failing = setCalls === faults.failSetAt || (faults.failSetsFrom !== undefined && setCalls >= faults.failSetsFrom);
      if (failing) {
        const name = faults.failSetName ?? 'QuotaExceededError';
        throw new DOMException(`Injected ${name} on set #${setCalls} (${key}).`, name);
      }
      await inner.set(key, value);
    },
    del: (key) => inner.del(key),
    async keys() {
      const all = await inner.keys();
      return faults.drop ? all.filter((k) => !faults.drop!(k)) : all;
    },
  };
}
