/**
 * The content side of a model, built in the pipeline from the files a release has: genres and
 * release year (movies file), users' tags (tags.csv) and the tag genome (genome-scores.csv and
 * genome-tags.csv, ML-20M and later), whichever were given. Its neighbours feed the hybrid
 * recommender and "Similar in content" on a movie page.
 */
import type { CheckCancelled, IdMap, MoviesTable, Neighbours } from '../types';
import type { InputFile } from '../pipeline/input-files';
import type { ComputePool } from '../parallel/compute-pool';
import { contentNeighboursParallel } from '../parallel/content-parallel';
import { parseGenomeScores, parseGenomeTags } from '../formats/genome';
import { buildContentFeatures, type ContentFeatures } from './content-features';
import { commonColumnsOf, contentNeighbours } from './content-neighbours';
import { genomeMatrix, type GenomeMatrix } from './genome-matrix';
import { parseTagsCsv } from './tags-csv';
import { unpackGenome } from '../pipeline/content-sources';

export interface ContentModel {
  /** Top CONTENT_K content neighbours of every movie (cosine over the feature blocks and the genome). */
  neighbours: Neighbours;
  /** The movie × feature matrix and its feature names, for "shares: …" explanations. */
  features: ContentFeatures;
  /** Movies with at least one tag from tags.csv. */
  taggedMovies: number;
  /**
   * The tag genome over the model's movies, absent without one: its tag names and relevances
   * explain a pair (sharedGenomeTags, sharedContent) and give the content cosine of any pair
   * (content-pair.ts). ML-25M: 13,816 × 1,128 relevances, 62 MB.
   */
  genome?: GenomeMatrix;
  /** The genome block's length w in the cosine (contentNeighbours' genomeWeight), when there is a genome. */
  genomeWeight?: number;
}

/** The files the content side reads; each one optional. */
export interface ContentSources {
  tags?: InputFile;
  genomeScores?: InputFile;
  genomeTags?: InputFile;
  /** Zips to take the genome from when its files were not given unpacked (see pipeline/content-sources.ts). */
  archives?: InputFile[];
}

/** Content neighbours kept per movie: more than the collaborative 50, so rare movies are reached. */
export const CONTENT_K = 100;

/** contentNeighbours' default: the genome (w² = 4) outweighs genres + year + tags when a movie has it. */
export const GENOME_WEIGHT = 2;

export interface ContentBuildOptions {
  check?: CheckCancelled;
  skipBadLines?: boolean;
  /** Threads for the neighbours (the genome's 1e11 multiply-adds); one thread without it. */
  pool?: ComputePool;
  /** Progress in movies compared, with a line on what is being done ("genome 13,816 movies × 1,128 tags · …"). */
  onProgress?: (moviesDone: number, moviesTotal: number, detail?: string) => void;
  /** Called as each phase ends, with its wall time: they follow one another and cover the build (for the benchmark). */
  onPhase?: (phase: ContentPhase, ms: number) => void;
}

/** The content build's phases: users' tags and the features, the tag genome read, the neighbours. */
export type ContentPhase = 'features' | 'genome' | 'neighbours';

/**
 * Parses the files given, lays out the features (and the genome, when both of its files are
 * there) and finds every movie's CONTENT_K nearest by content. An InputFile alone is tags.csv.
 */
export async function buildContentModel(
  movies: IdMap,
  catalog: MoviesTable,
  sources: ContentSources | InputFile | undefined,
  opts: ContentBuildOptions = {},
): Promise<ContentModel> {
  let phaseStart = performance.now();
  const phaseEnds = (phase: ContentPhase): void => {
    const now = performance.now();
    opts.onPhase?.(phase, now - phaseStart);
    phaseStart = now;
  };
  let files: ContentSources = sources && 'blob' in sources ? { tags: sources } : (sources ?? {});
  const nMovies = movies.ids.length;
  const progress = opts.onProgress;
  if (!(files.genomeScores && files.genomeTags) && files.archives) {
    const pct = (done: number, total: number) => (total > 0 ? Math.round((100 * done) / total) : 0);
    const unpacked = await unpackGenome(files.archives, {
      check: opts.check,
      onProgress: (d, t) => progress?.(0, nMovies, `unpacking the tag genome (${pct(d, t)}%)`),
    });
    files = { ...files, ...unpacked };
  }
  const read = { check: opts.check, skipBadLines: opts.skipBadLines };
  const parsed = files.tags ? await parseTagsCsv(files.tags.blob, { fileName: files.tags.name, ...read }) : undefined;
  const tags = parsed?.tags;
  const features = buildContentFeatures({
    movies,
    catalog,
    tags: tags && { count: tags.count, movieIds: tags.movieIds, tags: tags.tags, userIds: tags.userIds },
  });
  phaseEnds('features');
  const genome = files.genomeScores && files.genomeTags ? await readGenome(files.genomeScores, files.genomeTags, movies, read, progress) : undefined;
  phaseEnds('genome');

  const nG = genome ? genome.rows.length : 0;
  const totalMacs = ((nG * (nG - 1)) / 2) * (genome?.dims ?? 0);
  const what = genome
    ? `genome ${nG.toLocaleString('en')} movies × ${genome.dims.toLocaleString('en')} tags`
    : `${features.featureNames.length.toLocaleString('en')} features`;
  const onProgress = (done: number, total: number, macs: number) =>
    progress?.(done, total, genome ? `${what} · ${(macs / 1e9).toFixed(1)} of ${(totalMacs / 1e9).toFixed(1)} G multiply-adds` : what);
  progress?.(0, nMovies, what);
  const commonColumns = commonColumnsOf(features.featureKinds);
  const pool = opts.pool && opts.pool.size > 1 ? opts.pool : undefined;
  const neighbours = pool
    ? await contentNeighboursParallel(
        pool,
        features.matrix,
        genome,
        { k: CONTENT_K, genomeWeight: GENOME_WEIGHT, commonColumns },
        { check: opts.check, onProgress },
      )
    : contentNeighbours(features, genome, { k: CONTENT_K, genomeWeight: GENOME_WEIGHT, commonColumns, check: opts.check, onProgress });
  phaseEnds('neighbours');

  let taggedMovies = 0;
  if (tags) {
    const seen = new Set<number>();
    for (let r = 0; r < tags.count; r++) seen.add(tags.movieIds[r]);
    taggedMovies = seen.size;
  }
  const model: ContentModel = { neighbours, features, taggedMovies };
  if (genome) {
    model.genome = genome;
    model.genomeWeight = GENOME_WEIGHT;
  }
  return model;
}

/** genome-tags.csv and genome-scores.csv as a GenomeMatrix over the model's movies. */
export async function readGenome(
  scoresFile: InputFile,
  tagsFile: InputFile,
  movies: IdMap,
  read: { check?: CheckCancelled; skipBadLines?: boolean } = {},
  progress?: ContentBuildOptions['onProgress'],
): Promise<GenomeMatrix> {
  const tags = await parseGenomeTags(tagsFile.blob, { fileName: tagsFile.name, ...read });
  const mb = (bytes: number) => Math.round(bytes / (1 << 20)).toLocaleString('en');
  const scores = await parseGenomeScores(scoresFile.blob, {
    fileName: scoresFile.name,
    ...read,
    onProgress: (done, total) => progress?.(0, movies.ids.length, `reading the tag genome (${mb(done)} of ${mb(total)} MB)`),
  });
  return genomeMatrix(scores.value, tags.value, movies, { scoresFile: scoresFile.name, tagsFile: tagsFile.name });
}
