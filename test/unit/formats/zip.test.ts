import { Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isJunkEntry, unzipBlob } from '../../../src/lib/formats/zip';
import { CancelledError, InputError, type InputProblem } from '../../../src/lib/types';
import { releaseFiles, utf8, zipFixture } from '../../support/fixtures';

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

/** A zip written as a stream: sizes follow each entry in a data descriptor, unknown up front. */
function streamedZip(name: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 9 });
  zip.add(entry);
  for (let a = 0; a < data.length; a += 1 << 20) entry.push(data.subarray(a, a + (1 << 20)), a + (1 << 20) >= data.length);
  zip.end();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('unzipBlob', () => {
  it('unpacks every entry under its path, byte for byte, whether deflated or stored', async () => {
    const files = releaseFiles('ml-1m');
    for (const level of [0, 6] as const) {
      const entries = await unzipBlob(new Blob([zipFixture(files, { level })]), { fileName: 'ml-1m.zip', chunkBytes: 1000 });
      expect(entries.map((e) => e.name)).toEqual(files.map((f) => f.name));
      for (const [i, e] of entries.entries()) expect(new Uint8Array(await e.blob.arrayBuffer())).toEqual(files[i].bytes);
    }
  });

  it('steps over directories, __MACOSX resource forks, .DS_Store and entries not kept', async () => {
    const zip = zipFixture(releaseFiles('ml-10m', { folder: false }), { folder: 'ml-10M100K', macJunk: true });
    const entries = await unzipBlob(new Blob([zip]), { fileName: 'x.zip', keep: (n) => !n.endsWith('tags.dat') });
    expect(entries.map((e) => e.name)).toEqual(['ml-10M100K/ratings.dat', 'ml-10M100K/movies.dat', 'ml-10M100K/README.html']);
    expect(['a/', '__MACOSX/a/._u.data', 'a/._u.data', 'a/.DS_Store'].every(isJunkEntry)).toBe(true);
    expect(isJunkEntry('ml-100k/u.data')).toBe(false);
  });

  it('stops at the size cap and names the zip and the entry (declared sizes)', async () => {
    const zip = zipSync({ 'ml-bomb/ratings.csv': new Uint8Array(2 << 20).fill(0x31) });
    const problem = await problemOf(() => unzipBlob(new Blob([zip]), { fileName: 'bomb.zip', maxUncompressedBytes: 1 << 20 }));
    expect(problem).toMatchObject({ kind: 'format', file: 'bomb.zip' });
    expect(problem.message).toContain('bomb.zip: the entry ml-bomb/ratings.csv would unpack beyond 1 MiB');
  });

  it('stops a streamed entry whose size is not declared once it passes the cap while inflating', async () => {
    const zip = streamedZip('big/ratings.csv', new Uint8Array(3 << 20).fill(0x32));
    const problem = await problemOf(() => unzipBlob(new Blob([zip]), { fileName: 'stream.zip', maxUncompressedBytes: 1 << 20, maxEntryRatio: 1e9 }));
    expect(problem.message).toContain('stream.zip: the entry big/ratings.csv would unpack beyond 1 MiB');
  });

  it('stops an entry that unpacks far beyond its packed size, as a zip bomb does', async () => {
    const declared = zipSync({ 'zeros.csv': new Uint8Array(4 << 20) });
    const p1 = await problemOf(() => unzipBlob(new Blob([declared]), { fileName: 'z.zip' }));
    expect(p1.message).toMatch(/z\.zip: the entry zeros\.csv unpacks to \d+ times its packed size \(the limit is 200\)/);
    const streamed = streamedZip('zeros.csv', new Uint8Array(4 << 20));
    const p2 = await problemOf(() => unzipBlob(new Blob([streamed]), { fileName: 's.zip' }));
    expect(p2.message).toContain('s.zip: the entry zeros.csv unpacks to');
    // The same entry is fine when it is not kept: it is never inflated.
    expect(await unzipBlob(new Blob([declared]), { fileName: 'z.zip', keep: () => false })).toEqual([]);
  });

  it('unpacks a streamed (data-descriptor) zip within the caps', async () => {
    const text = utf8('1::1193::5::978300760\n'.repeat(1000));
    const [entry] = await unzipBlob(new Blob([streamedZip('ml-1m/ratings.dat', text)]), { fileName: 's.zip', chunkBytes: 777 });
    expect(entry.name).toBe('ml-1m/ratings.dat');
    expect(new Uint8Array(await entry.blob.arrayBuffer())).toEqual(text);
  });

  it('says when a .zip is not a zip, or is cut short', async () => {
    expect((await problemOf(() => unzipBlob(new Blob(['hello']), { fileName: 'a.zip' }))).message).toContain('a.zip is not a zip archive');
    const zip = zipFixture(releaseFiles('ml-1m'));
    const cut = zip.subarray(0, Math.floor(zip.length / 2));
    const problem = await problemOf(() => unzipBlob(new Blob([cut]), { fileName: 'cut.zip' }));
    expect(problem).toMatchObject({ kind: 'format', file: 'cut.zip' });
    expect(problem.message).toMatch(/cut\.zip is (damaged or )?incomplete/);
  });

  it('checks for cancellation between chunks', async () => {
    const zip = zipFixture(releaseFiles('ml-1m'));
    let calls = 0;
    const check = () => {
      if (++calls === 2) throw new CancelledError();
    };
    await expect(unzipBlob(new Blob([zip]), { fileName: 'a.zip', chunkBytes: 256, check })).rejects.toBeInstanceOf(CancelledError);
  });
});
