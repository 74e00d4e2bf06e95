/**
 * A tiny release for the hybrid: ratings, movies, users' tags and a tag genome, small enough to
 * check by eye. Three tastes (crime, science fiction, comedy) of 20 people each; each person
 * rates most of their own kind of movie well and a few others poorly. Then the cases the
 * hybrid is for:
 *
 * - Mean Streets, a crime film rated only by three comedy fans: its collaborative neighbours
 *   are comedies (noise from three people), its content neighbours crime films (tags "mafia",
 *   "new york", genres Crime|Drama). With three ratings the blend leans on content.
 * - The Untouchables, a crime film nobody rated but people tagged: content only.
 *
 * The genome covers the fifteen well-rated movies, as the real one covers movies with enough
 * ratings; its tags ("organized crime", "outer space", "witty") are not among the users' tags, so
 * a "shares:" line that names one proves the genome was read.
 */
import type { FixtureFile } from './fixtures';
import { utf8 } from './fixtures';

export interface HybridMovie {
  id: number;
  title: string;
  genres: string[];
  taste: 'crime' | 'scifi' | 'comedy';
  /** Users' tags; each applied by two people. */
  tags: string[];
}

export const HYBRID_MOVIES: readonly HybridMovie[] = [
  { id: 858, title: 'Godfather, The (1972)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'crime family'] },
  { id: 1221, title: 'Godfather: Part II, The (1974)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'crime family'] },
  { id: 1213, title: 'Goodfellas (1990)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'new york'] },
  { id: 16, title: 'Casino (1995)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'las vegas'] },
  { id: 6, title: 'Heat (1995)', genres: ['Action', 'Crime', 'Thriller'], taste: 'crime', tags: ['heist', 'las vegas'] },
  { id: 1466, title: 'Donnie Brasco (1997)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'new york', 'heist'] },
  { id: 1214, title: 'Alien (1979)', genres: ['Horror', 'Sci-Fi'], taste: 'scifi', tags: ['space', 'aliens'] },
  { id: 1200, title: 'Aliens (1986)', genres: ['Action', 'Horror', 'Sci-Fi'], taste: 'scifi', tags: ['space', 'aliens'] },
  { id: 541, title: 'Blade Runner (1982)', genres: ['Sci-Fi', 'Thriller'], taste: 'scifi', tags: ['dystopia', 'robots'] },
  { id: 1240, title: 'Terminator, The (1984)', genres: ['Action', 'Sci-Fi'], taste: 'scifi', tags: ['dystopia', 'robots'] },
  { id: 260, title: 'Star Wars: Episode IV - A New Hope (1977)', genres: ['Action', 'Adventure', 'Sci-Fi'], taste: 'scifi', tags: ['space', 'robots'] },
  { id: 2791, title: 'Airplane! (1980)', genres: ['Comedy'], taste: 'comedy', tags: ['spoof', 'quirky'] },
  { id: 39, title: 'Clueless (1995)', genres: ['Comedy', 'Romance'], taste: 'comedy', tags: ['romantic', 'high school'] },
  { id: 1265, title: 'Groundhog Day (1993)', genres: ['Comedy', 'Fantasy', 'Romance'], taste: 'comedy', tags: ['quirky', 'romantic'] },
  { id: 1230, title: 'Annie Hall (1977)', genres: ['Comedy', 'Romance'], taste: 'comedy', tags: ['quirky', 'romantic', 'new york'] },
  // Rarely rated, and rated by the "wrong" people.
  { id: 1954, title: 'Mean Streets (1973)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'new york'] },
  // Nobody rated it.
  { id: 2194, title: 'Untouchables, The (1987)', genres: ['Crime', 'Drama'], taste: 'crime', tags: ['mafia', 'heist'] },
];

export const MEAN_STREETS = 1954;
export const UNTOUCHABLES = 2194;

/** Genome tags: none of them is also a user's tag. */
export const HYBRID_GENOME_TAGS = ['organized crime', 'outer space', 'witty', 'gritty'];

const TASTES = ['crime', 'scifi', 'comedy'] as const;
const PER_TASTE = 20;

/** mulberry32, so the files are the same on every run. */
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

/** [userId, movieId, rating, timestamp] rows, by user. */
export function hybridRatings(): [number, number, number, number][] {
  const rand = prng(1954);
  const rows: [number, number, number, number][] = [];
  const regular = HYBRID_MOVIES.filter((m) => m.id !== MEAN_STREETS && m.id !== UNTOUCHABLES);
  TASTES.forEach((taste, t) => {
    for (let p = 0; p < PER_TASTE; p++) {
      const user = t * PER_TASTE + p + 1;
      for (const m of regular) {
        const own = m.taste === taste;
        // Most of their own kind, some of the others.
        if (rand() > (own ? 0.85 : 0.2)) continue;
        const halves = own ? 8 + Math.floor(rand() * 3) : 2 + Math.floor(rand() * 4);
        rows.push([user, m.id, halves / 2, 1_100_000_000 + user * 1000 + m.id]);
      }
      // Three comedy fans watched Mean Streets.
      if (taste === 'comedy' && p < 3) rows.push([user, MEAN_STREETS, 4, 1_100_000_000 + user * 1000 + MEAN_STREETS]);
    }
  });
  return rows;
}

export function hybridFiles(): FixtureFile[] {
  const csv = (text: string) => (/[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = (rows: string[]) => rows.map((r) => `${r}\n`).join('');
  const tagRows: string[] = [];
  HYBRID_MOVIES.forEach((m, i) =>
    m.tags.forEach((tag, t) => [101, 102].forEach((user) => tagRows.push(`${user},${m.id},${csv(tag)},${1_500_000_000 + i * 100 + t}`))),
  );
  const genomeMovies = HYBRID_MOVIES.filter((m) => m.id !== MEAN_STREETS && m.id !== UNTOUCHABLES);
  const themeOf: Record<string, HybridMovie['taste']> = { 'organized crime': 'crime', 'outer space': 'scifi', witty: 'comedy' };
  const scores: string[] = [];
  genomeMovies.forEach((m, i) =>
    HYBRID_GENOME_TAGS.forEach((tag, t) => {
      // High for the movie's own theme, low elsewhere; "gritty" is middling for crime and sci-fi.
      const relevance = themeOf[tag] === m.taste ? 0.9 + 0.0123 * (i % 5) : tag === 'gritty' && m.taste !== 'comedy' ? 0.55 : 0.03 + 0.01 * ((i + t) % 4);
      scores.push(`${m.id},${t + 1},${relevance}`);
    }),
  );
  return [
    {
      name: 'ratings.csv',
      bytes: utf8(lines(['userId,movieId,rating,timestamp', ...hybridRatings().map(([u, m, r, t]) => `${u},${m},${r.toFixed(1)},${t}`)])),
    },
    { name: 'movies.csv', bytes: utf8(lines(['movieId,title,genres', ...HYBRID_MOVIES.map((m) => `${m.id},${csv(m.title)},${m.genres.join('|')}`)])) },
    { name: 'tags.csv', bytes: utf8(lines(['userId,movieId,tag,timestamp', ...tagRows])) },
    { name: 'genome-scores.csv', bytes: utf8(lines(['movieId,tagId,relevance', ...scores])) },
    { name: 'genome-tags.csv', bytes: utf8(lines(['tagId,tag', ...HYBRID_GENOME_TAGS.map((t, i) => `${i + 1},${csv(t)}`)])) },
  ];
}
