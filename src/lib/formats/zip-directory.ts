/**
 * Reads a zip through its central directory: the list at the end of the archive that gives
 * every entry's name, sizes, CRC-32 and offset. With a Blob (a File, or Node's openAsBlob) the
 * directory is one small read, and each entry is then read on its own by slicing, so a reader
 * holds one entry at a time, and entries can be read in any order.
 *
 * Why not fflate's streaming Unzip (as formats/zip.ts uses for MovieLens downloads)? An entry
 * written as a stream (fflate's own Zip always does this) has no sizes in its local header, and
 * the streaming reader finds its end by scanning the data for the next signature
 * ("PK\x07\x08", "PK\x03\x04", ...). Binary data, such as a model's float arrays, contains those
 * four bytes by chance (about once per 1.4 GB of random bytes for each signature), and the entry
 * is then cut short. The central directory states the sizes, so nothing is guessed.
 *
 * Supported: stored (0) and deflated (8) entries, no Zip64 (archives under 4 GiB), one disk.
 */
import { Inflate } from 'fflate';
import { InputError } from '../types';

export interface ZipDirectoryEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedBytes: number;
  /** Bytes once unpacked. */
  bytes: number;
  crc32: number;
  /** Where the entry's local header starts. */
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
/** The end record may be followed by a comment of up to 65,535 bytes. */
const MAX_EOCD_SEARCH = EOCD_BYTES + 0xffff;
const ZIP64_MARK = 0xffffffff;
/** Compressed bytes read from the Blob at a time. */
const READ_BYTES = 4 * 1024 * 1024;

function zipError(fileName: string, found: string, message: string): InputError {
  return new InputError({ kind: 'format', file: fileName, expected: 'a complete zip archive', found, message });
}

/**
 * The entries of the zip in `blob`, in directory order. Throws a 'format' InputError naming
 * `fileName` when the end record is missing (a truncated file, or not a zip), when the
 * directory points outside the file, or for Zip64 and multi-disk archives.
 */
export async function readZipDirectory(blob: Blob, fileName: string): Promise<ZipDirectoryEntry[]> {
  const tailStart = Math.max(0, blob.size - MAX_EOCD_SEARCH);
  const tail = new Uint8Array(await blob.slice(tailStart).arrayBuffer());
  const view = new DataView(tail.buffer);
  let eocd = -1;
  // Search backwards: a comment could itself contain the signature, the real record is last.
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE && i + EOCD_BYTES + view.getUint16(i + 20, true) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw zipError(
      fileName,
      blob.size === 0 ? 'an empty file' : 'no end-of-archive record',
      `${fileName} is not a complete zip archive${blob.size === 0 ? ' (it is empty)' : ': its end is missing, so it was probably cut short while downloading or copying'}. Copy or export it again.`,
    );
  }
  const count = view.getUint16(eocd + 10, true);
  const directoryBytes = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) {
    throw zipError(fileName, 'a multi-part archive', `${fileName} is split over several disks, which cannot be read here. Join it into one zip first.`);
  }
  if (directoryOffset === ZIP64_MARK || count === 0xffff) {
    throw zipError(fileName, 'a Zip64 archive', `${fileName} is a Zip64 archive (over 4 GiB or 65,535 entries), which cannot be read here.`);
  }
  const eocdOffset = tailStart + eocd;
  if (directoryOffset + directoryBytes > eocdOffset) {
    throw zipError(fileName, 'a directory outside the file', `${fileName} is damaged: its table of contents points outside the file. Copy or export it again.`);
  }
  const dir = new Uint8Array(await blob.slice(directoryOffset, directoryOffset + directoryBytes).arrayBuffer());
  const d = new DataView(dir.buffer);
  const decoder = new TextDecoder();
  const entries: ZipDirectoryEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > dir.length || d.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw zipError(
        fileName,
        'a damaged table of contents',
        `${fileName} is damaged: entry ${n + 1} of its table of contents is unreadable. Copy or export it again.`,
      );
    }
    const nameBytes = d.getUint16(at + 28, true);
    const extraBytes = d.getUint16(at + 30, true);
    const commentBytes = d.getUint16(at + 32, true);
    const entry: ZipDirectoryEntry = {
      name: decoder.decode(dir.subarray(at + 46, at + 46 + nameBytes)),
      method: d.getUint16(at + 10, true),
      crc32: d.getUint32(at + 16, true),
      compressedBytes: d.getUint32(at + 20, true),
      bytes: d.getUint32(at + 24, true),
      localHeaderOffset: d.getUint32(at + 42, true),
    };
    if (entry.compressedBytes === ZIP64_MARK || entry.bytes === ZIP64_MARK || entry.localHeaderOffset === ZIP64_MARK) {
      throw zipError(fileName, 'a Zip64 entry', `${fileName}: the entry ${entry.name} needs Zip64 (over 4 GiB), which cannot be read here.`);
    }
    if (entry.localHeaderOffset + 30 + entry.compressedBytes > directoryOffset) {
      throw zipError(
        fileName,
        `the entry ${entry.name} outside the file`,
        `${fileName} is damaged: the entry ${entry.name} would end beyond the file's data. Copy or export it again.`,
      );
    }
    entries.push(entry);
    at += 46 + nameBytes + extraBytes + commentBytes;
  }
  return entries;
}

export interface ReadEntryOptions {
  /** Also check the entry's CRC-32 (the caller may have a faster checksum of its own). */
  verifyCrc?: boolean;
  check?: () => void;
}

/**
 * One entry's unpacked bytes, in a fresh buffer of exactly `entry.bytes` (a stored entry is
 * read straight into it; a deflated one is inflated piece by piece). Throws a 'format'
 * InputError when the entry is damaged: a bad local header, a size other than the directory's,
 * a failed inflate, or (with verifyCrc) a CRC-32 mismatch.
 */
export async function readZipEntry(blob: Blob, entry: ZipDirectoryEntry, fileName: string, opts: ReadEntryOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const damaged = (why: string) =>
    zipError(fileName, `a damaged entry ${entry.name}`, `${fileName} is damaged: the entry ${entry.name} ${why}. Copy or export it again.`);
  const header = new DataView(await blob.slice(entry.localHeaderOffset, entry.localHeaderOffset + 30).arrayBuffer());
  if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL_SIGNATURE) throw damaged('does not start where the table of contents says');
  // The local header's name and extra field may differ in length from the directory's copy.
  const start = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const end = start + entry.compressedBytes;
  if (end > blob.size) throw damaged('is cut short');
  const out = new Uint8Array(entry.bytes);
  let filled = 0;
  if (entry.method === 0) {
    if (entry.compressedBytes !== entry.bytes) throw damaged('has two different sizes');
    for (let a = start; a < end; a += READ_BYTES) {
      opts.check?.();
      const piece = new Uint8Array(await blob.slice(a, Math.min(end, a + READ_BYTES)).arrayBuffer());
      out.set(piece, filled);
      filled += piece.length;
    }
  } else if (entry.method === 8) {
    let overflow = false;
    const inflate = new Inflate((data) => {
      if (filled + data.length > out.length) overflow = true;
      else out.set(data, filled);
      filled += data.length;
    });
    try {
      for (let a = start; a < end; a += READ_BYTES) {
        opts.check?.();
        const b = Math.min(end, a + READ_BYTES);
        inflate.push(new Uint8Array(await blob.slice(a, b).arrayBuffer()), b === end);
        if (overflow) break;
      }
      if (start === end) inflate.push(new Uint8Array(0), true);
    } catch (error) {
      throw damaged(`does not unpack (${(error as Error).message})`);
    }
    if (overflow) throw damaged(`unpacks to more than its stated ${entry.bytes} bytes`);
  } else {
    throw zipError(
      fileName,
      `compression method ${entry.method}`,
      `${fileName}: the entry ${entry.name} uses compression method ${entry.method}; only stored and deflated entries can be read.`,
    );
  }
  if (filled !== entry.bytes) throw damaged(`holds ${filled} bytes, not the ${entry.bytes} its table of contents states`);
  if (opts.verifyCrc && crc32(out) !== entry.crc32) throw damaged('fails its CRC-32 check');
  return out;
}

let crcTable: Int32Array | undefined;

/** The zip CRC-32 (IEEE 802.3 polynomial, reflected), unsigned. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
