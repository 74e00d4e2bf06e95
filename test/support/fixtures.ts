/**
 * Small MovieLens releases in their exact file formats, generated from one underlying set of
 * 30 users x 20 movies, so that every parser can be checked against the same truth. Nothing
 * here is large enough to commit as data; the files are made on demand.
 */
import { zipSync, type Zippable } from 'fflate';
import type { InputFile } from '../../src/lib/pipeline/input-files';

export interface FixtureFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export type Release = 'ml-100k' | 'ml-1m' | 'ml-10m' | 'ml-latest-small' | 'ml-25m';

export const RELEASES: readonly Release[] = ['ml-100k', 'ml-1m', 'ml-10m', 'ml-latest-small', 'ml-25m'];

/** The folder each release's zip unpacks to, as on grouplens.org. */
export const RELEASE_FOLDER: Record<Release, string> = {
  'ml-100k': 'ml-100k',
  'ml-1m': 'ml-1m',
  'ml-10m': 'ml-10M100K',
  'ml-latest-small': 'ml-latest-small',
  'ml-25m': 'ml-25m',
};

export interface FixtureMovie {
  id: number;
  title: string;
  /** Genre names as the CSV releases write them ("Children"). */
  genres: string[];
}

/** [userId, movieId, rating, timestamp]. */
export type Row = [number, number, number, number];

export const AMELIE_TITLE = "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)";

export const FIXTURE_MOVIES: readonly FixtureMovie[] = [
  { id: 1, title: 'Toy Story (1995)', genres: ['Animation', 'Children', 'Comedy'] },
  { id: 2, title: 'Jumanji (1995)', genres: ['Adventure', 'Children', 'Fantasy'] },
  { id: 3, title: 'Grumpier Old Men (1995)', genres: ['Comedy', 'Romance'] },
  { id: 5, title: 'Father of the Bride Part II (1995)', genres: ['Comedy'] },
  { id: 6, title: 'Heat (1995)', genres: ['Action', 'Crime', 'Thriller'] },
  { id: 10, title: 'GoldenEye (1995)', genres: ['Action', 'Adventure', 'Thriller'] },
  { id: 11, title: 'American President, The (1995)', genres: ['Comedy', 'Drama', 'Romance'] },
  { id: 16, title: 'Casino (1995)', genres: ['Crime', 'Drama'] },
  { id: 19, title: 'Ace Ventura: When Nature Calls (1995)', genres: ['Comedy'] },
  { id: 21, title: 'Get Shorty (1995)', genres: ['Comedy', 'Crime', 'Thriller'] },
  { id: 25, title: 'Leaving Las Vegas (1995)', genres: ['Drama', 'Romance'] },
  { id: 32, title: 'Twelve Monkeys (a.k.a. 12 Monkeys) (1995)', genres: ['Mystery', 'Sci-Fi', 'Thriller'] },
  { id: 34, title: 'Babe (1995)', genres: ['Children', 'Drama'] },
  { id: 36, title: 'Dead Man Walking (1995)', genres: ['Crime', 'Drama'] },
  { id: 39, title: 'Clueless (1995)', genres: ['Comedy', 'Romance'] },
  { id: 47, title: 'Seven (a.k.a. Se7en) (1995)', genres: ['Mystery', 'Thriller'] },
  { id: 50, title: 'Usual Suspects, The (1995)', genres: ['Crime', 'Mystery', 'Thriller'] },
  { id: 62, title: "Mr. Holland's Opus (1995)", genres: ['Drama'] },
  { id: 73, title: 'Misérables, Les (1995)', genres: [] },
  { id: 4973, title: AMELIE_TITLE, genres: ['Comedy', 'Romance'] },
];

export const FIXTURE_USERS = 30;

/** mulberry32: a tiny seeded PRNG, so every run makes the same files. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The underlying ratings, in half stars, sorted by user then movie (as the CSV releases are). */
export const FIXTURE_RATINGS: readonly Row[] = (() => {
  const rand = prng(20240601);
  const rows: Row[] = [];
  for (let u = 1; u <= FIXTURE_USERS; u++) {
    for (const m of FIXTURE_MOVIES) {
      if (rand() < 0.45) continue;
      const halves = 1 + Math.floor(rand() * 10);
      rows.push([u, m.id, halves / 2, 874_724_710 + Math.floor(rand() * 400_000_000)]);
    }
  }
  return rows;
})();

/** ML-100k and ML-1M rate in whole stars: their copy of a half-star rating is rounded up. */
export function wholeStars(release: Release): boolean {
  return release === 'ml-100k' || release === 'ml-1m';
}

/** The ratings as `release` stores them. */
export function releaseRatings(release: Release): Row[] {
  return FIXTURE_RATINGS.map(([u, m, r, t]): Row => [u, m, wholeStars(release) ? Math.ceil(r) : r, t]);
}

/** The genre names as `release` writes them: ML-100k and ML-1M say "Children's". */
export function releaseGenres(release: Release, movie: FixtureMovie): string[] {
  return movie.genres.map((g) => (g === 'Children' && wholeStars(release) ? "Children's" : g));
}

const ML100K_GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

/** ISO-8859-1 bytes: one byte per character (every character here is below U+0100). */
export function latin1(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new Error(`not ISO-8859-1: ${text[i]}`);
    bytes[i] = c;
  }
  return bytes;
}

const lines = (rows: string[]): string => rows.map((r) => `${r}\n`).join('');

/** "4.0" and "3.5", as ratings.csv writes them; ratings.dat writes "4" and "3.5". */
const csvRating = (r: number): string => (Number.isInteger(r) ? r.toFixed(1) : String(r));

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A fixed shuffle, so u.data is not in the sorted order of the other releases (it is not in the real one either). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rand = prng(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function ml100k(): FixtureFile[] {
  const rows = shuffled(releaseRatings('ml-100k'), 7);
  const tab = (r: Row) => r.join('\t');
  const files: FixtureFile[] = [
    { name: 'u.data', bytes: utf8(lines(rows.map(tab))) },
    {
      name: 'u.item',
      bytes: latin1(
        lines(
          FIXTURE_MOVIES.map((m) => {
            const genres = releaseGenres('ml-100k', m);
            const flags = ML100K_GENRES.map((g, i) => (genres.includes(g) || (i === 0 && genres.length === 0) ? 1 : 0));
            const url = `http://us.imdb.com/M/title-exact?${encodeURIComponent(m.title)}`;
            return `${m.id}|${m.title}|01-Jan-1995||${url}|${flags.join('|')}`;
          }),
        ),
      ),
    },
    {
      name: 'u.user',
      bytes: utf8(
        lines(Array.from({ length: FIXTURE_USERS }, (_, i) => `${i + 1}|${20 + i}|${i % 2 ? 'F' : 'M'}|technician|857${String(i).padStart(2, '0')}`)),
      ),
    },
    { name: 'u.genre', bytes: utf8(lines(ML100K_GENRES.map((g, i) => `${g}|${i}`)) + '\n') },
    { name: 'u.info', bytes: utf8(`${FIXTURE_USERS} users\n${FIXTURE_MOVIES.length} items\n${rows.length} ratings\n`) },
    { name: 'README', bytes: utf8('SUMMARY & USAGE LICENSE\n=============================================\n') },
  ];
  // u1..u5: five disjoint test folds; ua/ub: a few ratings per user held out.
  for (let k = 1; k <= 5; k++) {
    const test = rows.filter((_, i) => i % 5 === k - 1);
    const base = rows.filter((_, i) => i % 5 !== k - 1);
    files.push({ name: `u${k}.base`, bytes: utf8(lines(base.map(tab))) }, { name: `u${k}.test`, bytes: utf8(lines(test.map(tab))) });
  }
  for (const [split, fromEnd] of [
    ['ua', false],
    ['ub', true],
  ] as const) {
    const held = new Set<Row>();
    for (let u = 1; u <= FIXTURE_USERS; u++) {
      const own = rows.filter((r) => r[0] === u);
      for (const r of fromEnd ? own.slice(-2) : own.slice(0, 2)) held.add(r);
    }
    files.push(
      { name: `${split}.base`, bytes: utf8(lines(rows.filter((r) => !held.has(r)).map(tab))) },
      { name: `${split}.test`, bytes: utf8(lines(rows.filter((r) => held.has(r)).map(tab))) },
    );
  }
  return files;
}

function datRatings(release: Release): string {
  return lines(releaseRatings(release).map(([u, m, r, t]) => `${u}::${m}::${r}::${t}`));
}

function datMovies(release: Release): string {
  return lines(FIXTURE_MOVIES.map((m) => `${m.id}::${m.title}::${releaseGenres(release, m).join('|') || '(no genres listed)'}`));
}

function ml1m(): FixtureFile[] {
  return [
    { name: 'ratings.dat', bytes: utf8(datRatings('ml-1m')) },
    { name: 'movies.dat', bytes: latin1(datMovies('ml-1m')) },
    { name: 'users.dat', bytes: utf8(lines(Array.from({ length: FIXTURE_USERS }, (_, i) => `${i + 1}::${i % 2 ? 'F' : 'M'}::25::10::48067`))) },
    { name: 'README', bytes: utf8('SUMMARY\n================================================================================\n') },
  ];
}

function ml10m(): FixtureFile[] {
  return [
    { name: 'ratings.dat', bytes: utf8(datRatings('ml-10m')) },
    { name: 'movies.dat', bytes: utf8(datMovies('ml-10m')) },
    { name: 'tags.dat', bytes: utf8(lines(['15::4973::excellent!::1215184630', '20::1::Pixar::1188263867'])) },
    { name: 'README.html', bytes: utf8('<html><body>MovieLens 10M</body></html>\n') },
  ];
}

/** Tags of the fixture genome; tag 3 has a comma, so it is quoted in genome-tags.csv. */
export const FIXTURE_GENOME_TAGS = ['007', 'classic', 'dark, gritty', 'pixar animation', 'twist ending'];

/** Relevance of (movie index, tag index): deterministic, in 0..1, with the long decimals of the real file. */
export function genomeRelevance(movieIndex: number, tagIndex: number): number {
  return ((movieIndex * 7 + tagIndex * 13) % 40) / 40 + 0.000123456789;
}

function csvRelease(genome: boolean): FixtureFile[] {
  const files: FixtureFile[] = [
    {
      name: 'ratings.csv',
      bytes: utf8(lines(['userId,movieId,rating,timestamp', ...FIXTURE_RATINGS.map(([u, m, r, t]) => `${u},${m},${csvRating(r)},${t}`)])),
    },
    {
      name: 'movies.csv',
      bytes: utf8(lines(['movieId,title,genres', ...FIXTURE_MOVIES.map((m) => `${m.id},${csvField(m.title)},${m.genres.join('|') || '(no genres listed)'}`)])),
    },
    { name: 'tags.csv', bytes: utf8(lines(['userId,movieId,tag,timestamp', '2,60756,funny,1445714994', '2,4973,"whimsical, French",1445714996'])) },
    {
      name: 'links.csv',
      bytes: utf8(lines(['movieId,imdbId,tmdbId', ...FIXTURE_MOVIES.map((m) => `${m.id},${String(114709 + m.id).padStart(7, '0')},${862 + m.id}`)])),
    },
    { name: 'README.txt', bytes: utf8('Summary\n=======\n') },
  ];
  if (genome) {
    const scores = ['movieId,tagId,relevance'];
    FIXTURE_MOVIES.forEach((m, mi) => FIXTURE_GENOME_TAGS.forEach((_, ti) => scores.push(`${m.id},${ti + 1},${genomeRelevance(mi, ti)}`)));
    files.push(
      { name: 'genome-scores.csv', bytes: utf8(lines(scores)) },
      { name: 'genome-tags.csv', bytes: utf8(lines(['tagId,tag', ...FIXTURE_GENOME_TAGS.map((t, i) => `${i + 1},${csvField(t)}`)])) },
    );
  }
  return files;
}

/** The files of a release, named as inside its zip ("ml-100k/u.data") unless `folder` is false. */
export function releaseFiles(release: Release, opts: { folder?: boolean } = {}): FixtureFile[] {
  const files = release === 'ml-100k' ? ml100k() : release === 'ml-1m' ? ml1m() : release === 'ml-10m' ? ml10m() : csvRelease(release === 'ml-25m');
  if (opts.folder === false) return files;
  return files.map((f) => ({ name: `${RELEASE_FOLDER[release]}/${f.name}`, bytes: f.bytes }));
}

export interface ZipOptions {
  /** Put every file under this top-level folder (with a directory entry), as the real zips do. */
  folder?: string;
  /** Add macOS litter (__MACOSX/ resource forks, .DS_Store), as zips made in Finder have. */
  macJunk?: boolean;
  /** DEFLATE level; 0 stores. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** Zips fixture files with fflate's zipSync. */
export function zipFixture(files: FixtureFile[], opts: ZipOptions = {}): Uint8Array<ArrayBuffer> {
  const prefix = opts.folder ? `${opts.folder}/` : '';
  const entries: Zippable = {};
  if (prefix) entries[prefix] = new Uint8Array(0);
  for (const f of files) {
    entries[prefix + f.name] = f.bytes;
    if (opts.macJunk) entries[`__MACOSX/${prefix}._${f.name.split('/').pop()}`] = utf8('\u0000\u0005\u0016\u0007 resource fork');
  }
  if (opts.macJunk) entries[`${prefix}.DS_Store`] = new Uint8Array([0, 0, 0, 1, 66, 117, 100, 49]);
  return zipSync(entries, { level: opts.level ?? 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

export function toInputFiles(files: FixtureFile[]): InputFile[] {
  return files.map((f) => ({ name: f.name, blob: new Blob([f.bytes]) }));
}

export function inputFile(name: string, bytes: Uint8Array<ArrayBuffer> | string): InputFile {
  return { name, blob: new Blob([typeof bytes === 'string' ? utf8(bytes) : bytes]) };
}
