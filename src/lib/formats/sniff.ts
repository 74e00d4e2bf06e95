import { hasZipSignature } from './zip';

/**
 * What the first bytes of a file say it is. The text kinds are MovieLens files by layout,
 * whatever the file is called; the others are what people drop by mistake.
 */
export type ContentKind =
  | 'ratings-csv'
  | 'movies-csv'
  | 'tags-csv'
  | 'links-csv'
  | 'genome-scores-csv'
  | 'genome-tags-csv'
  | 'ratings-tab'
  | 'movies-pipe'
  | 'users-pipe'
  | 'ratings-dat'
  | 'movies-dat'
  | 'users-dat'
  | 'tags-dat'
  | 'image'
  | 'spreadsheet'
  | 'document'
  | 'archive'
  | 'binary'
  | 'other-text'
  | 'empty';

export interface ContentSniff {
  kind: ContentKind;
  /** For people: "a PNG image", "an Excel workbook (XLSX)", "tab-separated ratings like u.data". */
  description: string;
}

/** Enough lines to judge a layout, and a cheap read even from a 900 MB file. */
export const SNIFF_HEAD_BYTES = 64 * 1024;
/** Lines judged; a layout must fit most of them. */
const SNIFF_LINES = 20;
const MATCH_SHARE = 0.8;

const CSV_HEADERS: Record<string, ContentKind> = {
  'userid,movieid,rating,timestamp': 'ratings-csv',
  'movieid,title,genres': 'movies-csv',
  'userid,movieid,tag,timestamp': 'tags-csv',
  'movieid,imdbid,tmdbid': 'links-csv',
  'movieid,tagid,relevance': 'genome-scores-csv',
  'tagid,tag': 'genome-tags-csv',
};

/** Headerless layouts, tried in order; the first that fits most sampled lines wins. */
const LINE_LAYOUTS: [ContentKind, RegExp][] = [
  ['ratings-tab', /^\s*\d+\t\d+\t\d+(?:\.\d+)?\t\d+\s*$/],
  ['ratings-dat', /^\s*\d+::\d+::\d+(?:\.\d+)?::\d+\s*$/],
  ['ratings-csv', /^\s*\d+,\d+,\d+(?:\.\d+)?,\d+\s*$/],
  ['users-dat', /^\d+::[MF]::\d+::\d+::[^:]*$/],
  ['tags-dat', /^\d+::\d+::.*::\d+\s*$/],
  ['movies-dat', /^\d+::(?:(?!::).)+::[^:]*$/],
  ['movies-pipe', /^\d+\|.*(?:\|[01]){19}\s*$/],
  ['users-pipe', /^\d+\|\d+\|[MF]\|[^|]*\|[^|]*$/],
];

export const CONTENT_DESCRIPTIONS: Record<ContentKind, string> = {
  'ratings-csv': 'comma-separated ratings like ratings.csv',
  'movies-csv': 'a movies.csv',
  'tags-csv': 'a tags.csv',
  'links-csv': 'a links.csv',
  'genome-scores-csv': 'a genome-scores.csv',
  'genome-tags-csv': 'a genome-tags.csv',
  'ratings-tab': 'tab-separated ratings like u.data',
  'movies-pipe': "movies like ML-100k's u.item",
  'users-pipe': "users like ML-100k's u.user",
  'ratings-dat': 'ratings like ratings.dat',
  'movies-dat': 'movies like movies.dat',
  'users-dat': 'users like users.dat',
  'tags-dat': 'tags like tags.dat',
  image: 'an image',
  spreadsheet: 'a spreadsheet',
  document: 'a document',
  archive: 'an archive',
  binary: 'binary data',
  'other-text': 'text that is not MovieLens data',
  empty: 'an empty file',
};

function startsWith(head: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (head.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (head[at + i] !== sig[i]) return false;
  return true;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** Magic numbers of what people drop instead of MovieLens text. */
const SIGNATURES: [number[], ContentKind, string][] = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image', 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'image', 'a JPEG image'],
  [ascii('GIF8'), 'image', 'a GIF image'],
  [ascii('%PDF'), 'document', 'a PDF document'],
  // The OLE compound file of .xls (and old .doc); a spreadsheet is what people mean to drop.
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'spreadsheet', 'an Excel workbook (XLS) or another Office file'],
  [[0x1f, 0x8b], 'archive', 'a gzip archive'],
  [ascii('7z'), 'archive', 'a 7-Zip archive'],
  [ascii('Rar!'), 'archive', 'a RAR archive'],
  [ascii('SQLite format 3'), 'binary', 'an SQLite database'],
];

/**
 * Classifies a file from its first bytes (`head`); `complete` says whether head is the whole
 * file, so that a cut last line is not judged.
 */
export function sniffContent(head: Uint8Array, complete: boolean): ContentSniff {
  const named = (kind: ContentKind, description = CONTENT_DESCRIPTIONS[kind]): ContentSniff => ({ kind, description });
  if (head.length === 0) return named('empty');
  for (const [sig, kind, description] of SIGNATURES) if (startsWith(head, sig)) return named(kind, description);
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return named('image', 'a WebP image');
  if (hasZipSignature(head)) {
    // An Office Open XML file is a zip whose first entries name its parts.
    const text = new TextDecoder('latin1').decode(head.subarray(0, 4096));
    if (text.includes('xl/')) return named('spreadsheet', 'an Excel workbook (XLSX)');
    if (text.includes('word/')) return named('document', 'a Word document (DOCX)');
    if (text.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return named('spreadsheet', 'an OpenDocument spreadsheet (ODS)');
    return named('archive', 'a zip archive');
  }
  // Text has no NUL and few control characters; random bytes have both within a few KB.
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return named('binary');
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) control++;
  }
  if (control > head.length / 100) return named('binary');

  // latin1 decodes any bytes; the layouts are ASCII, so UTF-8 text is judged the same.
  let text = new TextDecoder('latin1').decode(head);
  if (text.charCodeAt(0) === 0xef && text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
  const all = text.split('\n');
  if (!complete && all.length > 1) all.pop();
  const lines = all
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '')
    .slice(0, SNIFF_LINES);
  if (lines.length === 0) return named('other-text', 'blank lines only');
  const header =
    CSV_HEADERS[
      lines[0]
        .split(',')
        .map((f) =>
          f
            .trim()
            .replace(/^"(.*)"$/, '$1')
            .toLowerCase(),
        )
        .join(',')
    ];
  if (header) return named(header);
  for (const [kind, layout] of LINE_LAYOUTS) {
    let fit = 0;
    for (const line of lines) if (layout.test(line)) fit++;
    if (fit >= Math.max(1, lines.length * MATCH_SHARE)) return named(kind);
  }
  return named('other-text');
}

/** Reads the head of a blob and sniffs it. */
export async function sniffBlob(blob: Blob, headBytes = SNIFF_HEAD_BYTES): Promise<ContentSniff> {
  const head = new Uint8Array(await blob.slice(0, Math.min(blob.size, headBytes)).arrayBuffer());
  return sniffContent(head, blob.size <= headBytes);
}
