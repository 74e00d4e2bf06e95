/**
 * How well "Movies like this" guesses a movie's behaviour neighbours from little evidence, for
 * the β of the hybrid similarity (src/lib/recommend/hybrid-similarity.ts):
 *
 *   npx tsx bench/similar-beta.ts [--targets 300] [--seed 7]
 *
 * For movies of the bundled sample with at least 30 ratings, the truth is their collaborative
 * top 10 on all the data. Each is then made rare: all but m of its ratings are hidden (m = 0, 1,
 * 2, 3, 5, 10, 20, all), its cosine row is recomputed from the m that are left, and the blended
 * top 10 is compared with the truth (recall@10). Content neighbours do not depend on ratings, so
 * they are the real ones. Also printed: the share of the top 10 that shares a genre with the
 * movie, and how many movies' top 10 at least half shares one (the issue's target). Each table
 * comes three times, for three sources of the evidence n in α = n / (n + β): the page's movie's
 * ratings (what hybrid-similarity.ts uses), the rarer movie's of the pair, and the pair's
 * co-rating count (the two its header argues against). The last lines check the target on the
 * sample's real rarely rated movies at the default β.
 */
import { openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../src/lib/pipeline/build-model';
import { detectDataset } from '../src/lib/pipeline/input-files';
import { contentStage } from '../src/lib/pipeline/recommender-stage';
import { contentCosine } from '../src/lib/content/content-pair';
import { DEFAULT_HYBRID_SIMILARITY, evidenceShare, hybridCandidates, hybridNeighbours } from '../src/lib/recommend/hybrid-similarity';
import { DEFAULT_PARAMS, type Neighbours } from '../src/lib/types';

const SAMPLE_DIR = fileURLToPath(new URL('../public/data/ml-latest-small/', import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const TARGETS = arg('targets', 300);
const SEED = arg('seed', 7);
const LEVELS = [0, 1, 2, 3, 5, 10, 20, Infinity];
const BETAS = [0, 0.5, 1, 2, 3, 5, 10, 20, 50, Infinity];
const TOP = 10;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const file = async (name: string) => ({ name, blob: await openAsBlob(SAMPLE_DIR + name) });
const files = await detectDataset([await file('ratings.csv'), await file('movies.csv'), await file('tags.csv')]);
const { model, byMovie } = await buildModel(files, DEFAULT_PARAMS);
const content = await contentStage(model, files.tags);
const nMovies = model.movies.ids.length;
// As the page does: a collaborative neighbour outside the content lists gets its exact content cosine.
const contentOf = (a: number, b: number) => contentCosine(content, a, b);
const cfK = model.neighbours.k;

// Raters and stars of every movie, and every movie's norm, as plain arrays (100k ratings).
const raters: Int32Array[] = [];
const stars: Float32Array[] = [];
for (const ch of byMovie.chunks) {
  for (let r = 0; r < ch.rowCount; r++) {
    raters[ch.firstRow + r] = ch.indices.slice(ch.indptr[r], ch.indptr[r + 1]);
    stars[ch.firstRow + r] = ch.values.slice(ch.indptr[r], ch.indptr[r + 1]);
  }
}
for (let i = 0; i < nMovies; i++) {
  raters[i] ??= new Int32Array(0);
  stars[i] ??= new Float32Array(0);
}
const norm = Float64Array.from({ length: nMovies }, (_, i) => Math.hypot(...stars[i]));
// star of (user, movie): one Map per user.
const starOf = new Map<number, Map<number, number>>();
for (let i = 0; i < nMovies; i++) raters[i].forEach((u, p) => (starOf.get(u) ?? starOf.set(u, new Map()).get(u)!).set(i, stars[i][p]));

const genreMask = model.catalog.genreMasks;
const next = rng(SEED);
const eligible = Array.from({ length: nMovies }, (_, i) => i).filter((i) => raters[i].length >= 30);
for (let t = eligible.length - 1; t > 0; t--) {
  const s = Math.floor(next() * (t + 1));
  [eligible[t], eligible[s]] = [eligible[s], eligible[t]];
}
const targets = eligible.slice(0, TARGETS);

/** The cosine row of movie i from the raters kept, top cfK, as one Neighbours row. */
function rowFrom(i: number, kept: number[]): { index: number[]; sim: number[]; co: number[] } {
  const dot = new Map<number, number>();
  const co = new Map<number, number>();
  let ss = 0;
  for (const p of kept) {
    const u = raters[i][p];
    const x = stars[i][p];
    ss += x * x;
    for (const [j, y] of starOf.get(u)!) {
      if (j === i) continue;
      dot.set(j, (dot.get(j) ?? 0) + x * y);
      co.set(j, (co.get(j) ?? 0) + 1);
    }
  }
  const ni = Math.sqrt(ss);
  const entries = [...dot].map(([j, d]) => ({ j, s: Math.fround(d / (ni * norm[j])) }));
  entries.sort((a, b) => b.s - a.s || a.j - b.j);
  const top = entries.slice(0, cfK);
  return { index: top.map((e) => e.j), sim: top.map((e) => e.s), co: top.map((e) => co.get(e.j)!) };
}

/** The model's neighbours with movie i's row replaced and i taken out of every other row. */
function withRow(nb: Neighbours, i: number, row: { index: number[]; sim: number[]; co: number[] }): Neighbours {
  const index = nb.index.slice();
  const similarity = nb.similarity.slice();
  const coCount = nb.coCount.slice();
  const count = nb.count.slice();
  for (let j = 0; j < nb.movies; j++) {
    const h = j * nb.k;
    let w = 0;
    for (let t = 0; t < count[j]; t++) {
      if (index[h + t] === i) continue;
      index[h + w] = index[h + t];
      similarity[h + w] = similarity[h + t];
      coCount[h + w] = coCount[h + t];
      w++;
    }
    count[j] = w;
  }
  count[i] = row.index.length;
  row.index.forEach((j, t) => {
    index[i * nb.k + t] = j;
    similarity[i * nb.k + t] = row.sim[t];
    coCount[i * nb.k + t] = row.co[t];
  });
  return { ...nb, index, similarity, coCount, count };
}

interface Tally {
  recall: number;
  genre: number;
  /** Movies whose top 10 is non-empty and at least half shares a genre (the issue's target). */
  half: number;
}
const zero = (): Tally => ({ recall: 0, genre: 0, half: 0 });

/** Where n in α = n / (n + β) comes from, for pair (i, j). */
const RULES = {
  'min(ratings of i, ratings of j)': (ni: number, nj: number) => Math.min(ni, nj),
  'ratings of i (the page’s movie)': (ni: number) => ni,
  'co-rating count of the pair': (_ni: number, _nj: number, co: number) => co,
} satisfies Record<string, (ni: number, nj: number, co: number) => number>;
const tallies = new Map(Object.keys(RULES).map((rule) => [rule, LEVELS.map(() => BETAS.map(zero))]));

function score(list: { movie: number }[], truth: Set<number>, i: number, into: Tally): void {
  const top = list.slice(0, TOP);
  into.recall += top.filter((n) => truth.has(n.movie)).length / truth.size;
  const sharing = top.filter((n) => (genreMask[n.movie] & genreMask[i]) !== 0).length;
  into.genre += top.length ? sharing / top.length : 0;
  into.half += top.length > 0 && 2 * sharing >= top.length ? 1 : 0;
}

const began = performance.now();
for (const i of targets) {
  const truth = new Set(Array.from({ length: Math.min(TOP, model.neighbours.count[i]) }, (_, t) => model.neighbours.index[i * cfK + t]));
  const order = Array.from(raters[i].keys());
  for (let t = order.length - 1; t > 0; t--) {
    const s = Math.floor(next() * (t + 1));
    [order[t], order[s]] = [order[s], order[t]];
  }
  LEVELS.forEach((m, level) => {
    const kept = order.slice(0, Math.min(m, order.length));
    const nb = m === Infinity ? model.neighbours : withRow(model.neighbours, i, rowFrom(i, kept));
    const ratings = Int32Array.from(model.stats.count);
    ratings[i] = kept.length;
    const candidates = hybridCandidates({ neighbours: nb, content: content.neighbours, contentOf, ratings }, i);
    for (const [rule, evidenceOf] of Object.entries(RULES)) {
      BETAS.forEach((beta, b) => {
        const params = { beta: beta === Infinity ? 1e12 : beta };
        const list = candidates
          .map((c) => {
            const a = evidenceShare(evidenceOf(ratings[i], ratings[c.movie], c.coCount), params);
            return { movie: c.movie, blend: a * c.collaborative + (1 - a) * c.content };
          })
          .filter((c) => c.blend > 0)
          .sort((x, y) => y.blend - x.blend || x.movie - y.movie);
        score(list, truth, i, tallies.get(rule)![level][b]);
      });
    }
  });
}

const METRIC_NAMES = {
  recall: 'recall@10 of the all-data collaborative top 10',
  genre: 'share of the top 10 with a genre in common',
  half: 'movies whose top 10 is non-empty and at least half shares a genre',
};
const fmt = (v: number) => v.toFixed(3);
const n = targets.length;
const header = `${'β'.padStart(6)} ${LEVELS.map((m) => `m=${m === Infinity ? 'all' : m}`.padStart(8)).join('')}   mean(1..20)`;
for (const [name, table] of tallies) {
  for (const metric of ['recall', 'genre', 'half'] as const) {
    console.log(`\nα from ${name}: ${METRIC_NAMES[metric]}`);
    console.log(header);
    BETAS.forEach((beta, b) => {
      const cells = LEVELS.map((_, level) => table[level][b][metric] / n);
      const mid = LEVELS.map((m, level) => (m >= 1 && m <= 20 ? cells[level] : NaN)).filter((v) => v === v);
      console.log(
        `${String(beta === Infinity ? '∞' : beta).padStart(6)} ${cells.map((v) => fmt(v).padStart(8)).join('')}   ${fmt(mid.reduce((s, v) => s + v, 0) / mid.length)}`,
      );
    });
  }
}
console.log(`\n${n} movies with ≥ 30 ratings, seed ${SEED}; ${((performance.now() - began) / 1000).toFixed(1)} s.`);

// The issue's target on the real rarely rated movies of the sample, at the default β.
const rare = Array.from({ length: nMovies }, (_, i) => i).filter((i) => model.stats.count[i] < 5);
const inputs = { neighbours: model.neighbours, content: content.neighbours, contentOf, ratings: model.stats.count };
let nonEmpty = 0;
let halfShare = 0;
for (const i of rare) {
  const top = hybridNeighbours(inputs, i, DEFAULT_HYBRID_SIMILARITY, TOP);
  if (top.length > 0) nonEmpty++;
  const sharing = top.filter((n) => (genreMask[n.movie] & genreMask[i]) !== 0).length;
  if (top.length > 0 && 2 * sharing >= top.length) halfShare++;
}
console.log(
  `Movies with < 5 ratings (${rare.length}), β = ${DEFAULT_HYBRID_SIMILARITY.beta}: ${nonEmpty} with a non-empty list, ${halfShare} (${((100 * halfShare) / rare.length).toFixed(1)}%) whose top 10 at least half shares a genre.`,
);
const noGenres = rare.filter((i) => genreMask[i] === 0).length;
console.log(`(${noGenres} of them list no genres, so nothing can share one.)`);
