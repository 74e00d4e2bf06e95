import { InputError, type CheckCancelled } from '../types';
import { detectEncoding } from '../formats/encoding';
import { isMl100kSplitName } from '../formats/ml-100k';
import { sniffBlob, type ContentKind, type ContentSniff } from '../formats/sniff';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, hasZipSignature, isJunkEntry, unzipBlob } from '../formats/zip';

/** A file the person gave us, detached from the DOM's File so Node code can make one too. */
export interface InputFile {
  name: string;
  blob: Blob;
  /** Milliseconds since epoch; part of the fingerprint when the platform knows it. */
  lastModified?: number;
  /** A path on disk, in Node only: lets worker threads open the file themselves. */
  path?: string;
}

/**
 * The three layouts of the MovieLens releases: 'csv' for ML-20M and later (ratings.csv,
 * movies.csv), 'ml-100k' for u.data and u.item, 'dat' for ML-1M and ML-10M (ratings.dat, movies.dat).
 */
export type DatasetFormat = 'csv' | 'ml-100k' | 'dat';

/** The files one build reads, picked out of whatever was given. */
export interface DatasetFiles {
  format: DatasetFormat;
  ratings: InputFile;
  movies?: InputFile;
  /** The movies file's text encoding, found from its bytes; set when there is a movies file. */
  encoding?: 'utf-8' | 'latin1';
  /** ML-100k's ready-made evaluation splits (u1..u5, ua, ub .base/.test), by name; not used by the model. */
  splits?: InputFile[];
  /** The tag genome of the CSV releases, kept for later hybrid work; not used by the model. */
  genomeScores?: InputFile;
  genomeTags?: InputFile;
  /** Users' free-text tags (tags.csv of ml-latest, 20M and later): content for the hybrid. */
  tags?: InputFile;
  /**
   * links.csv (movieId,imdbId,tmdbId) of the CSV releases: lets a person's IMDb or Letterboxd
   * ratings be matched by id rather than by title. Not part of the model or its fingerprint.
   */
  links?: InputFile;
  /** Names of the files given but not used (users, readme, other releases' files). */
  ignored: string[];
}

export interface ExpandOptions {
  /** Cap on the bytes unpacked from all zips together (a zip bomb guard). Default 4 GiB. */
  maxUncompressedBytes?: number;
  /** Cap on one entry's unpacked / packed size. Default 200. */
  maxEntryRatio?: number;
  /** Unpack genome-scores.csv and genome-tags.csv too (about 400 MB in ML-25M). Default false. */
  keepGenome?: boolean;
  check?: CheckCancelled;
  /** Bytes of the zips read so far, of all zips given. */
  onProgress?: (done: number, total: number) => void;
}

/** Last path segment, lower-cased: "ml-25m/Ratings.csv" -> "ratings.csv". */
export function baseName(name: string): string {
  return name.split(/[\\/]/).pop()!.toLowerCase();
}

type Role = 'ratings' | 'movies' | 'split' | 'genomeScores' | 'genomeTags' | 'tags' | 'links' | 'other';

interface Known {
  role: Role;
  format?: DatasetFormat;
}

/** Every file of every MovieLens release, by base name; 'other' files are listed as ignored. */
const KNOWN_NAMES: Record<string, Known> = {
  'ratings.csv': { role: 'ratings', format: 'csv' },
  'movies.csv': { role: 'movies', format: 'csv' },
  'genome-scores.csv': { role: 'genomeScores', format: 'csv' },
  'genome-tags.csv': { role: 'genomeTags', format: 'csv' },
  'tags.csv': { role: 'tags', format: 'csv' },
  'links.csv': { role: 'links', format: 'csv' },
  'u.data': { role: 'ratings', format: 'ml-100k' },
  'u.item': { role: 'movies', format: 'ml-100k' },
  'u.user': { role: 'other' },
  'u.genre': { role: 'other' },
  'u.info': { role: 'other' },
  'u.occupation': { role: 'other' },
  'allbut.pl': { role: 'other' },
  'mku.sh': { role: 'other' },
  'ratings.dat': { role: 'ratings', format: 'dat' },
  'movies.dat': { role: 'movies', format: 'dat' },
  'users.dat': { role: 'other' },
  'tags.dat': { role: 'other' },
  'split_ratings.sh': { role: 'other' },
  readme: { role: 'other' },
  'readme.txt': { role: 'other' },
  'readme.html': { role: 'other' },
  'readme.md': { role: 'other' },
};

function knownByName(name: string): Known | undefined {
  const base = baseName(name);
  if (isMl100kSplitName(base)) return { role: 'split', format: 'ml-100k' };
  return KNOWN_NAMES[base];
}

/** What a content kind is, as a role in a dataset. */
const ROLE_OF_CONTENT: Partial<Record<ContentKind, Known>> = {
  'ratings-csv': { role: 'ratings', format: 'csv' },
  'movies-csv': { role: 'movies', format: 'csv' },
  'genome-scores-csv': { role: 'genomeScores', format: 'csv' },
  'genome-tags-csv': { role: 'genomeTags', format: 'csv' },
  'ratings-tab': { role: 'ratings', format: 'ml-100k' },
  'movies-pipe': { role: 'movies', format: 'ml-100k' },
  'ratings-dat': { role: 'ratings', format: 'dat' },
  'movies-dat': { role: 'movies', format: 'dat' },
};

const NOT_TEXT: ReadonlySet<ContentKind> = new Set(['image', 'spreadsheet', 'document', 'archive', 'binary']);

/** Office files are zips too; they are named in the error rather than unpacked. */
const OFFICE_EXTENSION = /\.(?:xlsx|xlsm|xltx|docx|pptx|ods|odt|odp|epub|jar|apk)$/i;

/** Which zip entries are worth inflating: the ones a build may read, and names we cannot place. */
function entryWanted(name: string, keepGenome: boolean): boolean {
  const known = knownByName(name);
  if (!known) return true;
  if (known.role === 'genomeScores' || known.role === 'genomeTags') return keepGenome;
  return known.role !== 'other';
}

/**
 * Unpacks every zip among `files` (by name or by signature) into its entries, named by their
 * path inside the archive ("ml-100k/u.data"); other files pass through. Entries that a build
 * never reads (users, readme, and the genome unless keepGenome) are left packed
 * and do not appear in the result. The size cap is shared by all the zips.
 */
export async function expandInputs(files: InputFile[], opts: ExpandOptions = {}): Promise<InputFile[]> {
  const zips: boolean[] = [];
  for (const f of files) {
    const head = new Uint8Array(await f.blob.slice(0, 4).arrayBuffer());
    zips.push(/\.zip$/i.test(f.name) || (hasZipSignature(head) && !OFFICE_EXTENSION.test(f.name)));
  }
  const zipBytes = files.reduce((sum, f, i) => sum + (zips[i] ? f.blob.size : 0), 0);
  let before = 0;
  let budget = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const out: InputFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (!zips[i]) {
      out.push(f);
      continue;
    }
    const entries = await unzipBlob(f.blob, {
      fileName: f.name,
      keep: (name) => entryWanted(name, opts.keepGenome ?? false),
      maxUncompressedBytes: budget,
      maxEntryRatio: opts.maxEntryRatio,
      check: opts.check,
      onProgress: (done) => opts.onProgress?.(before + done, zipBytes),
    });
    before += f.blob.size;
    for (const e of entries) {
      budget -= e.blob.size;
      out.push({ name: e.name, blob: e.blob, lastModified: f.lastModified });
    }
  }
  return out;
}

interface Candidate {
  file: InputFile;
  role: Role;
  format?: DatasetFormat;
  byName: boolean;
  sniff?: ContentSniff;
}

function formatError(file: string, expected: string, found: string, message: string): InputError {
  return new InputError({ kind: 'format', file, expected, found, message });
}

const EXPECTED_RATINGS = 'ratings.csv, ratings.dat or u.data (or the zip of a MovieLens release)';

/** Picks the one file of a role: name matches first, then the largest content match. */
function pickOne(cands: Candidate[]): Candidate | undefined {
  const named = cands.filter((c) => c.byName);
  const pool = named.length > 0 ? named : cands;
  return pool.slice().sort((a, b) => b.file.blob.size - a.file.blob.size || a.file.name.localeCompare(b.file.name))[0];
}

/**
 * Finds the MovieLens release among the files given: by base name first (case-insensitive,
 * any folder), then by the layout of the first bytes of the files whose names say nothing
 * (a "data.txt" of "196\t242\t3\t881250949" is u.data). Throws a 'format' InputError naming
 * what was given and what was expected when there is no ratings file, when two releases are
 * mixed, or when a chosen file is an image, a spreadsheet or other binary data.
 */
export async function detectDataset(files: InputFile[]): Promise<DatasetFiles> {
  const ignored: string[] = [];
  const cands: Candidate[] = [];
  const unplaced: { file: InputFile; sniff: ContentSniff }[] = [];
  for (const file of files) {
    if (isJunkEntry(file.name)) {
      ignored.push(file.name);
      continue;
    }
    const known = knownByName(file.name);
    if (known?.role === 'other') {
      ignored.push(file.name);
      continue;
    }
    const sniff = await sniffBlob(file.blob);
    if (known) {
      // Content overrides the name's layout: u.data renamed to ratings.csv is still tab-separated.
      const content = ROLE_OF_CONTENT[sniff.kind];
      const format = content && content.role === known.role ? content.format : known.format;
      cands.push({ file, role: known.role, format, byName: true, sniff });
      continue;
    }
    const content = ROLE_OF_CONTENT[sniff.kind];
    if (content) cands.push({ file, role: content.role, format: content.format, byName: false, sniff });
    else unplaced.push({ file, sniff });
  }

  const namedRatings = cands.filter((c) => c.role === 'ratings' && c.byName);
  if (namedRatings.length > 1) {
    const names = namedRatings.map((c) => c.file.name).join(', ');
    throw formatError(
      names,
      'the files of one MovieLens release',
      `${namedRatings.length} ratings files: ${names}`,
      `Several ratings files were given (${names}). Choose the files (or the zip) of one MovieLens release at a time.`,
    );
  }
  const ratings = pickOne(cands.filter((c) => c.role === 'ratings'));
  if (!ratings) {
    const given = files.map((f) => f.name).join(', ') || 'no files';
    const notText = unplaced.filter((u) => NOT_TEXT.has(u.sniff.kind));
    const what = unplaced.map((u) => `${u.file.name} is ${u.sniff.description}`).join('; ');
    // The file to blame: the only one given, or the only one that is not text, else all of them.
    const file = files.length === 1 ? files[0].name : notText.length === 1 ? notText[0].file.name : given;
    throw formatError(
      file,
      EXPECTED_RATINGS,
      what || given,
      notText.length > 0
        ? `No MovieLens ratings among the files given: ${what}. Expected ${EXPECTED_RATINGS}.`
        : `No ratings file among the files given (${given}${what ? `: ${what}` : ''}). Expected ${EXPECTED_RATINGS}.`,
    );
  }
  const format = ratings.format!;
  const used = new Set<InputFile>([ratings.file]);
  const sameFormat = (role: Role) => cands.filter((c) => c.role === role && c.format === format);
  const movies = pickOne(sameFormat('movies'));
  for (const chosen of [ratings, movies]) {
    if (chosen?.sniff && NOT_TEXT.has(chosen.sniff.kind)) {
      const name = chosen.file.name;
      throw formatError(
        name,
        chosen.role === 'ratings' ? 'MovieLens ratings as text' : 'MovieLens movies as text',
        chosen.sniff.description,
        `${name} is ${chosen.sniff.description}, not MovieLens ${chosen.role}. Choose the files of a MovieLens download (or its zip).`,
      );
    }
  }
  const ds: DatasetFiles = { format, ratings: ratings.file, ignored };
  if (movies) {
    ds.movies = movies.file;
    used.add(movies.file);
    ds.encoding = await detectEncoding(movies.file.blob);
  }
  if (format === 'ml-100k') {
    const splits = cands.filter((c) => c.role === 'split').map((c) => c.file);
    if (splits.length > 0) {
      splits.sort((a, b) => baseName(a.name).localeCompare(baseName(b.name)));
      ds.splits = splits;
      for (const s of splits) used.add(s);
    }
  }
  if (format === 'csv') {
    const tagsFile = pickOne(sameFormat('tags'));
    if (tagsFile) {
      ds.tags = tagsFile.file;
      used.add(tagsFile.file);
    }
    const linksFile = pickOne(sameFormat('links'));
    if (linksFile) {
      ds.links = linksFile.file;
      used.add(linksFile.file);
    }
    const scores = pickOne(sameFormat('genomeScores'));
    const tags = pickOne(sameFormat('genomeTags'));
    if (scores && tags) {
      ds.genomeScores = scores.file;
      ds.genomeTags = tags.file;
      used.add(scores.file).add(tags.file);
    }
  }
  for (const c of cands) if (!used.has(c.file)) ignored.push(c.file.name);
  for (const u of unplaced) ignored.push(u.file.name);
  return ds;
}
