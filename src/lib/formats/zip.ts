import { Unzip, UnzipInflate, type AsyncFlateStreamHandler, type UnzipDecoder, type UnzipFile } from 'fflate';
import { InputError, type CheckCancelled } from '../types';
import { readChunks } from './read-chunks';

/** One file taken out of a zip: its path inside the archive ("ml-100k/u.data") and its bytes. */
export interface ZipEntryFile {
  name: string;
  blob: Blob;
}

export interface UnzipOptions {
  /** The zip's name, for messages. */
  fileName: string;
  /** Which entries to inflate, by path; the others are stepped over without inflating. Default: all. */
  keep?: (entryName: string) => boolean;
  /** Stop when the kept entries would unpack to more than this. Default 4 GiB. */
  maxUncompressedBytes?: number;
  /** Stop when an entry unpacks to more than this many times its compressed size. Default 200. */
  maxEntryRatio?: number;
  chunkBytes?: number;
  /** Called once per chunk of the zip; it may throw CancelledError. */
  check?: CheckCancelled;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 4 * 1024 ** 3;
/**
 * MovieLens text deflates about 4:1, and repetitive text seldom beyond 20:1; DEFLATE's ceiling
 * is about 1032:1, which is where zip bombs live.
 */
export const DEFAULT_MAX_ENTRY_RATIO = 200;
/** Small entries are never judged by ratio: a few KB of repeated text may legitimately pack 500:1. */
const RATIO_FLOOR_BYTES = 1 << 20;
/**
 * Compressed bytes handed to the inflater at a time. Inflate emits a pushed piece's whole
 * output at once, so this bounds what one call can allocate (64 KiB x 1032 = 66 MB) before the
 * caps get a say.
 */
const PUSH_BYTES = 64 * 1024;
/** Inflated bytes gathered before they are sealed into a Blob part (which the browser may page out). */
const PART_BYTES = 8 * 1024 * 1024;
const ZIP_READ_BYTES = 4 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

/** Directories, macOS resource forks and Finder litter: never MovieLens data. */
export function isJunkEntry(name: string): boolean {
  if (name.endsWith('/') || name.endsWith('\\')) return true;
  const parts = name.split(/[\\/]/);
  const base = parts[parts.length - 1];
  return parts.includes('__MACOSX') || base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db';
}

/** "PK\x03\x04" (a local file header) or "PK\x05\x06" (the end record of an empty zip). */
export function hasZipSignature(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** What is being gathered of one kept entry. */
interface EntrySink {
  name: string;
  /** Compressed size from the local header; undefined for a streamed entry (data descriptor). */
  compressedBytes?: number;
  /** Bytes pushed into the zip stream when the entry began: bounds its compressed size when unknown. */
  pushedAtStart: number;
  bytes: number;
  parts: Blob[];
  pending: Uint8Array<ArrayBuffer>[];
  pendingBytes: number;
  closed: boolean;
}

/**
 * Unpacks a zip entry by entry, streaming the archive through fflate's Unzip: only the kept
 * entries are inflated, each into an in-memory Blob, and a cap on the total unpacked size and
 * on each entry's compression ratio stops a zip bomb before it fills memory.
 */
export async function unzipBlob(zip: Blob, opts: UnzipOptions): Promise<ZipEntryFile[]> {
  const zipName = opts.fileName;
  const maxTotal = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const maxRatio = opts.maxEntryRatio ?? DEFAULT_MAX_ENTRY_RATIO;
  const keep = opts.keep ?? (() => true);
  const head = new Uint8Array(await zip.slice(0, 4).arrayBuffer());
  if (!hasZipSignature(head)) {
    throw new InputError({
      kind: 'format',
      file: zipName,
      expected: 'a zip archive',
      found: zip.size === 0 ? 'an empty file' : 'something else',
      message: `${zipName} is not a zip archive${zip.size === 0 ? ' (it is empty)' : ''}. Choose the zip as downloaded from MovieLens, or the files inside it.`,
    });
  }

  const entries: ZipEntryFile[] = [];
  const open: EntrySink[] = [];
  let failure: InputError | undefined;
  let totalBytes = 0;
  let pushed = 0;
  /** The decision for the entry whose start() is running: fflate builds its decoder inside start(). */
  let starting: { keep: boolean } | undefined;

  const fail = (expected: string, found: string, message: string): void => {
    failure ??= new InputError({ kind: 'format', file: zipName, expected, found, message });
  };
  const tooBig = (entry: string, bytes: number): void =>
    fail(
      `at most ${formatBytes(maxTotal)} unpacked`,
      `${entry} unpacking past that`,
      `${zipName}: the entry ${entry} would unpack beyond ${formatBytes(maxTotal)} in all (${formatBytes(bytes)} so far), the limit for one build. ` +
        'A MovieLens release is smaller; this zip may be damaged or a zip bomb. Unpack it yourself and choose the files inside.',
    );
  const tooDense = (entry: string, ratio: number): void =>
    fail(
      `entries that unpack to at most ${maxRatio} times their packed size`,
      `${entry} at ${Math.round(ratio)} times`,
      `${zipName}: the entry ${entry} unpacks to ${Math.round(ratio)} times its packed size (the limit is ${maxRatio}), as a zip bomb does. ` +
        'Unpack it yourself and choose the files inside.',
    );

  /**
   * fflate looks a decoder up by compression method when an entry starts. Ours inflates kept
   * entries and steps over the rest without inflating; an entry that is never started would
   * have its compressed bytes buffered by Unzip for nothing.
   */
  const decoderFor = (method: number) =>
    class EntryDecoder implements UnzipDecoder {
      static compression = method;
      ondata!: AsyncFlateStreamHandler;
      private readonly inflate?: UnzipInflate;
      private readonly keep: boolean;
      constructor() {
        this.keep = starting?.keep ?? false;
        if (this.keep && method === 8) {
          this.inflate = new UnzipInflate();
          this.inflate.ondata = (err, data, final) => this.ondata(err, data, final);
        }
      }
      push(chunk: Uint8Array, final: boolean): void {
        if (!this.keep) {
          if (final) this.ondata(null, EMPTY, true);
        } else if (this.inflate) this.inflate.push(chunk, final);
        else this.ondata(null, chunk as Uint8Array<ArrayBuffer>, final);
      }
    };

  const unzip = new Unzip();
  unzip.register(decoderFor(0));
  unzip.register(decoderFor(8));
  const registered = new Set([0, 8]);

  unzip.onfile = (file: UnzipFile) => {
    const name = file.name;
    const wanted = !failure && !isJunkEntry(name) && keep(name);
    if (wanted && file.compression !== 0 && file.compression !== 8) {
      fail(
        'entries stored or compressed with deflate',
        `compression method ${file.compression}`,
        `${zipName}: the entry ${name} uses compression method ${file.compression}, which cannot be unpacked here. Unpack the zip yourself and choose the files inside.`,
      );
    }
    if (!registered.has(file.compression)) {
      registered.add(file.compression);
      unzip.register(decoderFor(file.compression));
    }
    const kept = wanted && !failure;
    if (kept) {
      if (file.originalSize !== undefined && totalBytes + file.originalSize > maxTotal) tooBig(name, totalBytes + file.originalSize);
      else if (file.originalSize !== undefined && file.size && file.originalSize > RATIO_FLOOR_BYTES && file.originalSize / file.size > maxRatio) {
        tooDense(name, file.originalSize / file.size);
      }
    }
    if (!kept || failure) {
      file.ondata = () => {};
      starting = { keep: false };
      file.start();
      starting = undefined;
      return;
    }
    const sink: EntrySink = {
      name,
      compressedBytes: file.size,
      pushedAtStart: pushed,
      bytes: 0,
      parts: [],
      pending: [],
      pendingBytes: 0,
      closed: false,
    };
    open.push(sink);
    // fflate calls back a decoder's error through ondata rather than throwing, and catches what
    // the handler throws; so problems are recorded here and thrown after push() returns.
    file.ondata = (err, data, final) => {
      if (sink.closed || failure) return;
      if (err) {
        fail('an intact zip', `a damaged entry ${name}`, `${zipName}: the entry ${name} is damaged (${err.message}). Download the zip again.`);
        return;
      }
      if (data && data.length > 0) {
        sink.bytes += data.length;
        totalBytes += data.length;
        if (totalBytes > maxTotal) return tooBig(name, totalBytes);
        if (sink.bytes > RATIO_FLOOR_BYTES) {
          const packed = Math.max(1, sink.compressedBytes ?? pushed - sink.pushedAtStart);
          if (sink.bytes / packed > maxRatio) return tooDense(name, sink.bytes / packed);
        }
        sink.pending.push(data as Uint8Array<ArrayBuffer>);
        sink.pendingBytes += data.length;
        if (sink.pendingBytes >= PART_BYTES) seal(sink);
      }
      if (final) {
        seal(sink);
        sink.closed = true;
        entries.push({ name, blob: new Blob(sink.parts) });
      }
    };
    starting = { keep: true };
    file.start();
    starting = undefined;
  };

  const feed = (piece: Uint8Array, final: boolean): void => {
    try {
      unzip.push(piece, final);
    } catch (e) {
      if (failure) throw failure;
      throw new InputError({
        kind: 'format',
        file: zipName,
        expected: 'a complete zip archive',
        found: 'an archive cut short or damaged',
        message: `${zipName} is damaged or incomplete (${(e as Error).message}). Download it again.`,
      });
    }
    if (failure) throw failure;
  };

  let done = 0;
  for await (const chunk of readChunks(zip, { chunkBytes: opts.chunkBytes ?? ZIP_READ_BYTES })) {
    opts.check?.();
    for (let a = 0; a < chunk.length; a += PUSH_BYTES) {
      const piece = chunk.subarray(a, Math.min(chunk.length, a + PUSH_BYTES));
      pushed += piece.length;
      feed(piece, false);
    }
    done += chunk.length;
    opts.onProgress?.(done, zip.size);
  }
  feed(EMPTY, true);
  const unfinished = open.find((s) => !s.closed);
  if (unfinished) {
    throw new InputError({
      kind: 'format',
      file: zipName,
      expected: 'a complete zip archive',
      found: `the entry ${unfinished.name} cut short`,
      message: `${zipName} is incomplete: the entry ${unfinished.name} is cut short. Download the zip again.`,
    });
  }
  return entries;
}

function seal(sink: EntrySink): void {
  if (sink.pending.length === 0) return;
  sink.parts.push(new Blob(sink.pending));
  sink.pending = [];
  sink.pendingBytes = 0;
}
