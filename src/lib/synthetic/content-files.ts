/**
 * The content files of a synthetic MovieLens release, written beside its ratings.csv and
 * movies.csv (generate.ts) and deterministic by the same seed:
 *   genome-scores.csv  movieId,tagId,relevance for every (genome movie, tag), as in ML-20M and later
 *   genome-tags.csv    tagId,tag
 *   tags.csv           userId,movieId,tag,timestamp: people's free-text tags
 * ML-25M has a genome of 1,128 tags for its 13,816 most rated movies (of 62,423) and 1,093,360
 * tag applications; smaller sets get proportionally fewer genome movies, tags and applications,
 * so the genome's cost (movies² × tags) stays small in tests. Relevances follow the movie's
 * genres (a tag belongs to a genre or to one of a few genre-free themes such as "atmospheric"),
 * so movies of the same genres have similar genome rows and content neighbours mean something.
 * The genome movies are the top of the popularity ranks generate.ts samples ratings by, which
 * are redrawn here from the seed: the files can be added to a data set already written.
 */
import { ChunkWriter, DEFAULT_CHUNK_BYTES, type ByteSink } from './byte-chunks';
import { buildCatalogue, CLUSTERS, GENRES, type SyntheticCatalogue } from './catalogue';
import { CATALOGUE_STREAM, FIRST_TIMESTAMP, LAST_TIMESTAMP, RANK_STREAM, type GenerateOptions } from './generate';
import { Sfc32 } from './prng';
import { searchCumulative, shuffledIndices } from './sampling';
import { ML25M, popularityByRank, sizesFor } from './shape';

/** ML-25M's content: genome movies and tags, and rows of tags.csv. */
export const ML25M_CONTENT = { genomeMovies: 13_816, genomeTags: 1_128, tagApplications: 1_093_360 } as const;

export interface ContentSizes {
  genomeMovies: number;
  genomeTags: number;
  tagApplications: number;
}

/** Genome movies and tags scale with the catalogue (s = listed movies / ML-25M's), applications with the ratings. */
export function contentSizesFor(ratings: number): ContentSizes {
  const movies = sizesFor(ratings).moviesListed;
  const s = movies / ML25M.moviesListed;
  return {
    genomeMovies: Math.min(movies, Math.max(1, Math.round(ML25M_CONTENT.genomeMovies * s))),
    genomeTags: Math.min(ML25M_CONTENT.genomeTags, Math.max(GENRES.length + LATENT_THEMES.length, Math.round(ML25M_CONTENT.genomeTags * s))),
    tagApplications: Math.max(1, Math.round((ratings * ML25M_CONTENT.tagApplications) / ML25M.ratings)),
  };
}

/** Genre-free themes: each movie has two of them, which lift their tags whatever its genres. */
const LATENT_THEMES: readonly (readonly string[])[] = [
  ['atmospheric', 'moody', 'haunting', 'dreamlike', 'bleak', 'eerie'],
  ['feel-good', 'heartwarming', 'uplifting', 'charming', 'sweet', 'cheerful'],
  ['cult film', 'campy', 'so bad it is good', 'midnight movie', 'b-movie', 'underground'],
  ['slow paced', 'meditative', 'long takes', 'minimalist', 'contemplative', 'quiet'],
  ['visually appealing', 'cinematography', 'colorful', 'beautiful scenery', 'stylish', 'great visuals'],
  ['quirky', 'offbeat', 'surreal', 'weird', 'eccentric', 'whimsical'],
  ['violent', 'brutal', 'bloody', 'graphic violence', 'disturbing', 'dark'],
  ['thought-provoking', 'philosophical', 'intellectual', 'complex', 'ambiguous', 'mind-bending'],
  ['nostalgic', 'period piece', 'retro', 'historical setting', '1980s', 'small town'],
  ['political', 'social commentary', 'corruption', 'propaganda', 'revolution', 'class struggle'],
  ['based on a book', 'adaptation', 'literary', 'novel', 'based on a true story', 'remake'],
  ['great soundtrack', 'score', 'music', 'memorable songs', 'iconic music', 'orchestral'],
];

/** A tag's words for each genre, in GENRES order. */
const GENRE_WORDS: readonly (readonly string[])[] = [
  ['explosions', 'car chase', 'martial arts', 'shootout', 'fight scenes', 'stunts'],
  ['treasure hunt', 'quest', 'jungle', 'expedition', 'pirates', 'journey'],
  ['animated', 'stop motion', 'hand drawn', 'anime', 'cgi', 'cartoon'],
  ['family', 'kids', 'talking animals', 'coming of age', 'friendship', 'school'],
  ['funny', 'slapstick', 'satire', 'parody', 'witty', 'absurd humor'],
  ['heist', 'mafia', 'gangsters', 'detective', 'organized crime', 'drugs'],
  ['documentary', 'true story', 'interviews', 'nature', 'history', 'biography'],
  ['emotional', 'tragedy', 'melancholic', 'family drama', 'redemption', 'loss'],
  ['magic', 'dragons', 'fairy tale', 'wizards', 'mythology', 'sword and sorcery'],
  ['noir', 'femme fatale', 'private eye', 'black and white', 'hardboiled', 'shadows'],
  ['gore', 'haunted house', 'zombies', 'vampires', 'slasher', 'creepy'],
  ['visually stunning', 'spectacle', '3d', 'epic scale', 'big screen', 'panoramic'],
  ['musical numbers', 'singing', 'dance', 'broadway', 'soundtrack', 'opera'],
  ['whodunit', 'twist ending', 'puzzle', 'investigation', 'secrets', 'clues'],
  ['love story', 'romantic', 'wedding', 'love triangle', 'first love', 'relationships'],
  ['space', 'time travel', 'aliens', 'robots', 'dystopia', 'artificial intelligence'],
  ['suspense', 'tense', 'conspiracy', 'psychological', 'chase', 'hostage'],
  ['world war ii', 'battle', 'soldiers', 'vietnam', 'military', 'resistance'],
  ['cowboys', 'gunfights', 'frontier', 'outlaws', 'desert', 'ranch'],
];

/** Words that make more tags of a theme once its own words are used: "great heist", "classic heist". */
const MODIFIERS = ['great', 'classic', 'stylized', 'intense', 'clever', 'dark', 'gritty', 'beautiful', 'original', 'realistic'];

/** Themes: the genres (GENRES order), then the latent ones. */
const THEME_WORDS: readonly (readonly string[])[] = [...GENRE_WORDS, ...LATENT_THEMES];

/** Tag names (tagId = index + 1) and each tag's theme: round-robin over the themes, so each has ~dims/31 tags. */
export function genomeTagNames(dims: number): { names: string[]; themeOf: Int32Array } {
  const nThemes = THEME_WORDS.length;
  const names: string[] = [];
  const taken = new Set<string>();
  const themeOf = new Int32Array(dims);
  for (let t = 0; t < dims; t++) {
    const theme = t % nThemes;
    const k = Math.floor(t / nThemes);
    const words = THEME_WORDS[theme];
    const word = words[k % words.length];
    const m = Math.floor(k / words.length);
    const round = Math.floor((m - 1) / MODIFIERS.length);
    let name = m === 0 ? word : `${MODIFIERS[(m - 1) % MODIFIERS.length]} ${word}${round > 0 ? ` ${round + 1}` : ''}`;
    // "great" + Musical's "soundtrack" is also a word of its own: number a repeat.
    for (let n = 2; taken.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
    taken.add(name);
    names.push(name);
    themeOf[t] = theme;
  }
  return { names, themeOf };
}

export interface ContentSinks {
  genomeScores?: ByteSink;
  genomeTags?: ByteSink;
  tags?: ByteSink;
}

export interface SyntheticContent {
  sizes: ContentSizes;
  /** Ids of the genome movies, ascending. */
  genomeMovieIds: Int32Array;
  genomeTagNames: string[];
  genomeScoresBytes: number;
  genomeTagsBytes: number;
  tagsBytes: number;
}

// Random streams of their own, apart from those of generate.ts.
const THEME_STREAM = 0x7e3a;
const GENOME_STREAM = 0x6e03;
const TAGS_STREAM = 0x7a95;

/** Latent themes per movie. */
const LATENT_PER_MOVIE = 2;

/** Writes the content files the sinks ask for; see the header. */
export function generateContentFiles(options: GenerateOptions, sinks: ContentSinks): SyntheticContent {
  const seed = (options.seed ?? 1) >>> 0;
  const ratings = options.ratings;
  const sizes = sizesFor(ratings);
  const movies = sizes.moviesListed;
  const content = contentSizesFor(ratings);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const catalogue = buildCatalogue(movies, new Sfc32(seed, CATALOGUE_STREAM));
  const byRank = shuffledIndices(movies, new Sfc32(seed, RANK_STREAM));

  // Each movie's two latent themes, drawn for every movie in index order.
  const themeRng = new Sfc32(seed, THEME_STREAM);
  const latent = new Int32Array(movies * LATENT_PER_MOVIE);
  for (let m = 0; m < movies; m++) {
    for (let l = 0; l < LATENT_PER_MOVIE; l++) latent[m * LATENT_PER_MOVIE + l] = GENRES.length + themeRng.nextInt(LATENT_THEMES.length);
  }

  const genomeMovies = Int32Array.from(byRank.subarray(0, content.genomeMovies)).sort();
  const { names, themeOf } = genomeTagNames(content.genomeTags);
  const out: SyntheticContent = {
    sizes: content,
    genomeMovieIds: Int32Array.from(genomeMovies, (m) => catalogue.movieIds[m]),
    genomeTagNames: names,
    genomeScoresBytes: 0,
    genomeTagsBytes: 0,
    tagsBytes: 0,
  };
  if (sinks.genomeTags) {
    const w = new ChunkWriter(sinks.genomeTags, chunkBytes);
    w.ascii('tagId,tag\n');
    names.forEach((name, t) => {
      w.reserve(12);
      w.uint(t + 1);
      w.ascii(`,${name}\n`);
    });
    w.flush();
    out.genomeTagsBytes = w.bytesWritten;
  }
  if (sinks.genomeScores)
    out.genomeScoresBytes = writeGenomeScores(sinks.genomeScores, chunkBytes, catalogue, genomeMovies, latent, themeOf, new Sfc32(seed, GENOME_STREAM));
  if (sinks.tags) {
    const weight = new Float64Array(movies);
    const byRankWeight = popularityByRank(ratings, movies, sizes.users);
    for (let r = 0; r < movies; r++) weight[byRank[r]] = byRankWeight[r];
    out.tagsBytes = writeTags(
      sinks.tags,
      chunkBytes,
      catalogue,
      weight,
      latent,
      themeOf,
      names,
      sizes.users,
      content.tagApplications,
      new Sfc32(seed, TAGS_STREAM),
    );
  }
  return out;
}

/**
 * Relevance of tag t for movie m, quantised to 1/4000 as the published files are: a small base
 * level per tag (some tags, "great soundtrack", apply a little to everything), a lift when the
 * tag's theme is one of the movie's genres or latent themes, and a rare spike.
 */
function writeGenomeScores(
  sink: ByteSink,
  chunkBytes: number,
  catalogue: SyntheticCatalogue,
  genomeMovies: Int32Array,
  latent: Int32Array,
  themeOf: Int32Array,
  rng: Sfc32,
): number {
  const dims = themeOf.length;
  const base = Float64Array.from({ length: dims }, () => 0.02 + 0.12 * rng.nextFloat() ** 3);
  const strength = Float64Array.from({ length: dims }, () => 0.6 + 0.4 * rng.nextFloat());
  const lift = new Float64Array(THEME_WORDS.length);
  const w = new ChunkWriter(sink, chunkBytes);
  w.ascii('movieId,tagId,relevance\n');
  for (const m of genomeMovies) {
    lift.fill(0);
    const mask = catalogue.genreMasks[m];
    for (let g = 0; g < GENRES.length; g++) if ((mask >>> g) & 1) lift[g] = 0.45 + 0.4 * rng.nextFloat();
    if (mask !== 0) lift[CLUSTERS[catalogue.clusters[m]].genre] += 0.15;
    for (let l = 0; l < LATENT_PER_MOVIE; l++) lift[latent[m * LATENT_PER_MOVIE + l]] += 0.3 + 0.5 * rng.nextFloat();
    const movieId = catalogue.movieIds[m];
    for (let t = 0; t < dims; t++) {
      const v = base[t] * (0.5 + rng.nextFloat()) + lift[themeOf[t]] * strength[t] * (0.4 + 0.6 * rng.nextFloat()) + 0.4 * rng.nextFloat() ** 16;
      // Units of 1e-5: a multiple of 25 (1/4000), written as 0.ddddd or 1.00000.
      const units = 25 * Math.round(Math.min(1, v) * 4000);
      w.reserve(40);
      w.uint(movieId);
      w.byte(44);
      w.uint(t + 1);
      w.byte(44);
      w.byte(units === 100000 ? 49 : 48);
      w.byte(46);
      let rest = units % 100000;
      for (let d = 10000; d >= 1; d = d / 10) {
        const digit = Math.floor(rest / d);
        w.byte(48 + digit);
        rest -= digit * d;
      }
      w.byte(10);
    }
  }
  w.flush();
  return w.bytesWritten;
}

/**
 * tags.csv: applications drawn by popularity (people tag what they watch), from a tenth of the
 * users with a heavy tail (a few tag a lot, as in MovieLens), each tag from one of the movie's
 * themes (mostly its genres); rows sorted by user, then movie, then tag.
 */
function writeTags(
  sink: ByteSink,
  chunkBytes: number,
  catalogue: SyntheticCatalogue,
  weight: Float64Array,
  latent: Int32Array,
  themeOf: Int32Array,
  names: string[],
  users: number,
  count: number,
  rng: Sfc32,
): number {
  const movies = weight.length;
  const cumulative = new Float64Array(movies);
  let total = 0;
  for (let m = 0; m < movies; m++) cumulative[m] = total += weight[m];
  // Tags of each theme, so a theme's tag is one draw.
  const nThemes = THEME_WORDS.length;
  const themeTags: number[][] = Array.from({ length: nThemes }, () => []);
  themeOf.forEach((theme, t) => themeTags[theme].push(t));
  const taggers = Math.max(1, Math.round(users * 0.09));
  const user = new Int32Array(count);
  const movie = new Int32Array(count);
  const tag = new Int32Array(count);
  const time = new Float64Array(count);
  const genres: number[] = [];
  for (let e = 0; e < count; e++) {
    const m = searchCumulative(cumulative, rng.nextFloat() * total, 0, movies);
    // Squared uniform: the first taggers tag far more than the last.
    user[e] = 1 + Math.floor((Math.floor(taggers * rng.nextFloat() ** 2) * users) / taggers);
    movie[e] = m;
    genres.length = 0;
    const mask = catalogue.genreMasks[m];
    for (let g = 0; g < GENRES.length; g++) if ((mask >>> g) & 1) genres.push(g);
    const u = rng.nextFloat();
    const theme =
      u < 0.7 && genres.length > 0
        ? genres[rng.nextInt(genres.length)]
        : u < 0.9
          ? latent[m * LATENT_PER_MOVIE + rng.nextInt(LATENT_PER_MOVIE)]
          : rng.nextInt(nThemes);
    const list = themeTags[theme];
    tag[e] = list.length > 0 ? list[rng.nextInt(list.length)] : rng.nextInt(names.length);
    const release = Date.UTC(catalogue.years[m], 0, 1) / 1000;
    const from = Math.max(FIRST_TIMESTAMP, release);
    time[e] = Math.floor(from + (LAST_TIMESTAMP - from) * rng.nextFloat());
  }
  const order = Int32Array.from({ length: count }, (_, e) => e).sort((a, b) => user[a] - user[b] || movie[a] - movie[b] || tag[a] - tag[b] || a - b);
  const w = new ChunkWriter(sink, chunkBytes);
  w.ascii('userId,movieId,tag,timestamp\n');
  for (const e of order) {
    w.reserve(24);
    w.uint(user[e]);
    w.byte(44);
    w.uint(catalogue.movieIds[movie[e]]);
    w.ascii(`,${names[tag[e]]},`);
    w.reserve(12);
    w.uint(time[e]);
    w.byte(10);
  }
  w.flush();
  return w.bytesWritten;
}

/** The three content files in memory, for tests and the browser benchmark at small scales. */
export function contentToMemory(
  options: GenerateOptions,
): SyntheticContent & { genomeScoresCsv: Uint8Array<ArrayBuffer>; genomeTagsCsv: Uint8Array<ArrayBuffer>; tagsCsv: Uint8Array<ArrayBuffer> } {
  const collect = () => {
    const parts: Uint8Array[] = [];
    return { parts, sink: { write: (chunk: Uint8Array) => void parts.push(chunk.slice()) } };
  };
  const scores = collect();
  const tags = collect();
  const applications = collect();
  const result = generateContentFiles(options, { genomeScores: scores.sink, genomeTags: tags.sink, tags: applications.sink });
  const join = (parts: Uint8Array[]) => {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  };
  return { ...result, genomeScoresCsv: join(scores.parts), genomeTagsCsv: join(tags.parts), tagsCsv: join(applications.parts) };
}
