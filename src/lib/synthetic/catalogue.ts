import type { ChunkWriter } from './byte-chunks';
import type { Sfc32 } from './prng';

/** The MovieLens genre set, alphabetical as MovieLens writes a movie's genres. */
export const GENRES = [
  'Action',
  'Adventure',
  'Animation',
  'Children',
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'IMAX',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
] as const;

export const NO_GENRES = '(no genres listed)';

const g = (name: (typeof GENRES)[number]): number => GENRES.indexOf(name);

/**
 * The planted taste clusters. Each is named after the primary genre of its movies; `share` is the
 * fraction of the catalogue (roughly ML-25M's mix of first-listed genres) and `companions` the
 * genres a movie of the cluster tends to carry as well, so genres stay informative of the cluster.
 */
export const CLUSTERS: readonly { name: string; genre: number; share: number; companions: number[] }[] = [
  { name: 'Drama', genre: g('Drama'), share: 0.24, companions: [g('Romance'), g('War'), g('Crime'), g('Mystery'), g('Film-Noir')] },
  { name: 'Comedy', genre: g('Comedy'), share: 0.19, companions: [g('Romance'), g('Drama'), g('Musical'), g('Children')] },
  { name: 'Action', genre: g('Action'), share: 0.09, companions: [g('Adventure'), g('Thriller'), g('Crime'), g('War'), g('Western'), g('IMAX')] },
  { name: 'Thriller', genre: g('Thriller'), share: 0.08, companions: [g('Mystery'), g('Crime'), g('Horror'), g('Drama')] },
  { name: 'Horror', genre: g('Horror'), share: 0.08, companions: [g('Thriller'), g('Mystery'), g('Sci-Fi'), g('Comedy')] },
  { name: 'Documentary', genre: g('Documentary'), share: 0.08, companions: [g('War'), g('Musical'), g('IMAX')] },
  { name: 'Romance', genre: g('Romance'), share: 0.06, companions: [g('Drama'), g('Comedy'), g('Musical')] },
  { name: 'Crime', genre: g('Crime'), share: 0.05, companions: [g('Drama'), g('Thriller'), g('Film-Noir'), g('Mystery')] },
  { name: 'Adventure', genre: g('Adventure'), share: 0.04, companions: [g('Action'), g('Fantasy'), g('Western'), g('IMAX')] },
  { name: 'Animation', genre: g('Animation'), share: 0.03, companions: [g('Children'), g('Comedy'), g('Fantasy'), g('Adventure')] },
  { name: 'Sci-Fi', genre: g('Sci-Fi'), share: 0.03, companions: [g('Action'), g('Adventure'), g('Fantasy'), g('IMAX')] },
  { name: 'Children', genre: g('Children'), share: 0.03, companions: [g('Animation'), g('Comedy'), g('Fantasy'), g('Adventure')] },
];

/** Share of movies written with "(no genres listed)", as in ML-25M (5,062 of 62,423). */
const NO_GENRES_SHARE = 0.08;

/** The listed movies, indexed densely in ascending movieId order. */
export interface SyntheticCatalogue {
  count: number;
  /** Strictly ascending, with MovieLens-like gaps. */
  movieIds: Int32Array;
  years: Int16Array;
  /** Index into CLUSTERS of each movie. */
  clusters: Int32Array;
  /** Bit i set when the movie lists GENRES[i]; 0 means "(no genres listed)". */
  genreMasks: Uint32Array;
  titles: string[];
}

const ADJECTIVES = [
  'Midnight',
  'Silent',
  'Broken',
  'Golden',
  'Crimson',
  'Lost',
  'Hidden',
  'Burning',
  'Frozen',
  'Wild',
  'Last',
  'Distant',
  'Hollow',
  'Electric',
  'Quiet',
  'Savage',
  'Forgotten',
  'Bitter',
  'Endless',
  'Little',
  'Secret',
  'Dark',
  'Bright',
  'Restless',
  'Lonely',
  'Velvet',
  'Iron',
  'Paper',
  'Glass',
  'Northern',
  'Southern',
  'Sweet',
  'Final',
  'First',
  'Blue',
  'Scarlet',
  'Crooked',
  'Sleeping',
  'Falling',
  'Wandering',
];
const NOUNS = [
  'Harbor',
  'Train',
  'River',
  'Summer',
  'Kingdom',
  'Road',
  'Garden',
  'Mirror',
  'Shadow',
  'Storm',
  'Island',
  'Witness',
  'Stranger',
  'Promise',
  'Horizon',
  'Canyon',
  'Letter',
  'Circus',
  'Empire',
  'Heart',
  'Detective',
  'Orchard',
  'Frontier',
  'Lighthouse',
  'Symphony',
  'Station',
  'Winter',
  'Signal',
  'Voyage',
  'Motel',
  'Daughter',
  'Machine',
  'Ghost',
  'Season',
  'Bridge',
  'Hunter',
  'Dream',
  'Alibi',
  'Comet',
  'Carnival',
];
const PLACES = [
  'Paris',
  'Brooklyn',
  'Tokyo',
  'Nevada',
  'Lisbon',
  'the Valley',
  'Havana',
  'Berlin',
  'Texas',
  'Mumbai',
  'the North',
  'Rome',
  'Alaska',
  'Seoul',
  'Marseille',
  'Chicago',
];
const NAMES = ['Harry', 'Maria', 'Jonah', 'Lucy', 'Frank', 'Ingrid', 'Kenji', 'Rosa', 'Walter', 'Nadia', 'Otto', 'Clara', 'Dev', 'Margot', 'Sam', 'Elena'];
const SEQUELS = ['2', '3', 'II', 'III', 'Part II'];

const pick = <T>(rng: Sfc32, list: readonly T[]): T => list[rng.nextInt(list.length)];

/**
 * A made-up title in MovieLens style, year included. Leading articles move to the end
 * ("Last Train, The (1999)") as MovieLens does, which is where the commas that need quoting come from.
 */
function makeTitle(rng: Sfc32, year: number): string {
  const pattern = rng.nextInt(10);
  let title: string;
  switch (pattern) {
    case 0:
    case 1:
      title = `${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`;
      break;
    case 2:
      title = `${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}, The`;
      break;
    case 3:
      title = `${pick(rng, NOUNS)} of the ${pick(rng, NOUNS)}`;
      break;
    case 4:
      title = `${pick(rng, NOUNS)} in ${pick(rng, PLACES)}, A`;
      break;
    case 5:
      title = `${pick(rng, NAMES)}'s ${pick(rng, NOUNS)}`;
      break;
    case 6:
      title = `${pick(rng, NOUNS)} and the ${pick(rng, NOUNS)}`;
      break;
    case 7:
      title = `${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)} ${pick(rng, SEQUELS)}`;
      break;
    case 8:
      title = `${pick(rng, NOUNS)}, ${pick(rng, NOUNS)}`;
      break;
    default:
      title = pick(rng, NOUNS);
  }
  return `${title} (${year})`;
}

/** Release years lean recent, as MovieLens' catalogue does (half of it is from after ~2003). */
function drawYear(rng: Sfc32): number {
  const year = 2023 - Math.floor(Math.abs(rng.nextNormal()) * 28);
  return Math.max(1902, year);
}

function drawCluster(rng: Sfc32): number {
  let u = rng.nextFloat();
  for (let c = 0; c < CLUSTERS.length - 1; c++) {
    u -= CLUSTERS[c].share;
    if (u < 0) return c;
  }
  return CLUSTERS.length - 1;
}

function drawGenreMask(rng: Sfc32, cluster: number): number {
  if (rng.nextFloat() < NO_GENRES_SHARE) return 0;
  const { genre, companions } = CLUSTERS[cluster];
  let mask = 1 << genre;
  const u = rng.nextFloat();
  const extra = u < 0.35 ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
  for (let i = 0; i < extra; i++) {
    const other = rng.nextFloat() < 0.8 ? pick(rng, companions) : rng.nextInt(GENRES.length);
    mask |= 1 << other;
  }
  return mask >>> 0;
}

/** Draws `count` movies: ids, years, clusters, genres and titles. */
export function buildCatalogue(count: number, rng: Sfc32): SyntheticCatalogue {
  const movieIds = new Int32Array(count);
  const years = new Int16Array(count);
  const clusters = new Int32Array(count);
  const genreMasks = new Uint32Array(count);
  const titles: string[] = new Array<string>(count);
  let id = 0;
  for (let i = 0; i < count; i++) {
    // Mostly consecutive ids with occasional gaps, like MovieLens after removals and merges.
    id += rng.nextFloat() < 0.75 ? 1 : 2 + rng.nextInt(8);
    movieIds[i] = id;
    const year = drawYear(rng);
    years[i] = year;
    clusters[i] = drawCluster(rng);
    genreMasks[i] = drawGenreMask(rng, clusters[i]);
    titles[i] = makeTitle(rng, year);
  }
  return { count, movieIds, years, clusters, genreMasks, titles };
}

/** Writes movies.csv exactly as MovieLens formats it: quotes only around fields that contain a comma or quote. */
export function writeMoviesCsv(catalogue: SyntheticCatalogue, writer: ChunkWriter): void {
  writer.ascii('movieId,title,genres\n');
  for (let i = 0; i < catalogue.count; i++) {
    const title = catalogue.titles[i];
    const quoted = title.includes(',') || title.includes('"') ? `"${title.replaceAll('"', '""')}"` : title;
    const mask = catalogue.genreMasks[i];
    let genres = '';
    if (mask === 0) genres = NO_GENRES;
    else for (let gi = 0; gi < GENRES.length; gi++) if (mask & (1 << gi)) genres += genres === '' ? GENRES[gi] : `|${GENRES[gi]}`;
    writer.reserve(10);
    writer.uint(catalogue.movieIds[i]);
    writer.ascii(`,${quoted},${genres}\n`);
  }
}
