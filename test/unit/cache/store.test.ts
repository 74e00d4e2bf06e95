import { describe, expect, it } from 'vitest';
import { faultyStore, idbKeyValueStore, memoryStore, type KeyValueStore } from '../../../src/lib/cache/store';

describe('memoryStore', () => {
  it('stores a structured clone: later changes to the value or to what get answered do not leak', async () => {
    const store = memoryStore();
    const value = { ids: Int32Array.of(1, 2, 3) };
    await store.set('k', value);
    value.ids[0] = 99;
    const got = (await store.get('k')) as { ids: Int32Array };
    expect(got.ids).toEqual(Int32Array.of(1, 2, 3));
    got.ids[1] = 99;
    expect(await store.get('k')).toEqual({ ids: Int32Array.of(1, 2, 3) });
  });

  it('refuses what IndexedDB refuses: functions and SharedArrayBuffers', async () => {
    const store = memoryStore();
    await expect(store.set('f', { f: () => 1 })).rejects.toMatchObject({ name: 'DataCloneError' });
    await expect(store.set('s', new Int32Array(new SharedArrayBuffer(8)))).rejects.toMatchObject({
      name: 'DataCloneError',
    });
  });

  it('answers undefined for a missing key and lists keys in ascending order', async () => {
    const store = memoryStore();
    await store.set('b', 1);
    await store.set('a', 2);
    expect(await store.get('c')).toBeUndefined();
    expect(await store.keys()).toEqual(['a', 'b']);
    await store.del('a');
    expect(await store.keys()).toEqual(['b']);
  });
});

describe('faultyStore', () => {
  it('fails the Nth set with a QuotaExceededError and writes nothing', async () => {
    const inner = memoryStore();
    const store = faultyStore(inner, { failSetAt: 2 });
    await store.set('a', 1);
    const error = await store.set('b', 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('QuotaExceededError');
    await store.set('c', 3);
    expect(await inner.keys()).toEqual(['a', 'c']);
    expect(store.setCalls).toBe(3);
  });

  it('keeps failing from failSetsFrom on, like a full disk', async () => {
    const store = faultyStore(memoryStore(), { failSetsFrom: 2 });
    await store.set('a', 1);
    await expect(store.set('b', 2)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await expect(store.set('c', 3)).rejects.toMatchObject({ name: 'QuotaExceededError' });
  });

  it('drops keys and flips one bit of chosen values, leaving the inner store intact', async () => {
    const inner = memoryStore();
    const store = faultyStore(inner, { drop: (k) => k === 'gone', corrupt: (k) => k === 'rot', corruptByte: 1 });
    await store.set('gone', 1);
    await store.set('rot', Uint16Array.of(0, 0));
    expect(await store.get('gone')).toBeUndefined();
    expect(await store.keys()).toEqual(['rot']);
    const rotten = (await store.get('rot')) as Uint16Array;
    expect(rotten).toBeInstanceOf(Uint16Array);
    expect([...new Uint8Array(rotten.buffer)]).toEqual([0, 1, 0, 0]);
    expect(await inner.get('rot')).toEqual(Uint16Array.of(0, 0));
  });
});

describe('idbKeyValueStore', () => {
  it('passes the custom store to every idb-keyval function and keeps only string keys', async () => {
    const calls: string[] = [];
    const custom = { name: 'latentlens/kv' };
    const fake = {
      get: async (key: string, s?: typeof custom) => (calls.push(`get ${key} ${s?.name}`), 1),
      set: async (key: string, _v: unknown, s?: typeof custom) => void calls.push(`set ${key} ${s?.name}`),
      del: async (key: string, s?: typeof custom) => void calls.push(`del ${key} ${s?.name}`),
      keys: async (s?: typeof custom) => (calls.push(`keys ${s?.name}`), ['a', 7, 'b']),
    };
    const store = idbKeyValueStore(fake, custom);
    await store.get('x');
    await store.set('y', 1);
    await store.del('z');
    expect(await store.keys()).toEqual(['a', 'b']);
    expect(calls).toEqual(['get x latentlens/kv', 'set y latentlens/kv', 'del z latentlens/kv', 'keys latentlens/kv']);
  });
});

// Compile-time check that idb-keyval's real module fits the adapter (never called: Node has no IndexedDB).
const idbKeyvalFits = (idb: typeof import('idb-keyval'), s: import('idb-keyval').UseStore): KeyValueStore => idbKeyValueStore(idb, s);
void idbKeyvalFits;
