/**
 * A file on disk as the part of a Blob that the parsers read (size, slice(), arrayBuffer()), read
 * with fs. Node's own file-backed Blob (openAsBlob) reads about five times slower than plain fs
 * reads (a 685 MB ratings.csv in 4 MiB slices: 1.10-1.25 s against 0.23-0.26 s), which made the
 * file read, not the parsing, a third of a parse thread's time. The reads are synchronous: on
 * two cores, libuv's I/O threads competed with the two parse threads (two-thread parse of that
 * file: 1.06-1.45 s with fs.promises, 0.89-1.05 s with readSync). It has no stream(), so
 * readChunks reads it in slices. The benchmark's pool threads read ratings.csv through it; the
 * browser reads the user's File as it is.
 */
import { closeSync, openSync, readSync } from 'node:fs';

class FsBlobPart {
  constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  slice(start = 0, end = this.size): FsBlobPart {
    const clamp = (x: number) => Math.min(this.size, Math.max(0, x < 0 ? this.size + x : x));
    const a = clamp(start);
    return new FsBlobPart(this.path, this.start + a, this.start + Math.max(a, clamp(end)));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    const fd = openSync(this.path, 'r');
    try {
      let at = 0;
      while (at < out.length) {
        const bytesRead = readSync(fd, out, at, out.length - at, this.start + at);
        if (bytesRead === 0) throw new Error(`${this.path} ended at byte ${this.start + at}, before the ${this.end} it had when opened.`);
        at += bytesRead;
      }
    } finally {
      closeSync(fd);
    }
    return Promise.resolve(out.buffer);
  }
}

/** The file at `path` (of `size` bytes) as a Blob for the parsers (see the header). */
export function fsBlob(path: string, size: number): Blob {
  return new FsBlobPart(path, 0, size) as unknown as Blob;
}
