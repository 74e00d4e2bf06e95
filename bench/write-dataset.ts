import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateMovieLens, type SyntheticMovieLens } from '../src/lib/synthetic/generate';
import type { ByteSink } from '../src/lib/synthetic/byte-chunks';
import { generateContentFiles, type SyntheticContent } from '../src/lib/synthetic/content-files';

function fileSink(fd: number): ByteSink {
  return {
    write(chunk) {
      // writeSync may write less than asked for on some file systems; loop until all is out.
      let at = 0;
      while (at < chunk.length) at += writeSync(fd, chunk, at, chunk.length - at);
    },
  };
}

/** Writes DIR/ratings.csv and DIR/movies.csv of a synthetic MovieLens set; returns what was made. */
export function writeSyntheticDataset(
  ratings: number,
  seed: number,
  outDir: string,
): { result: SyntheticMovieLens; ratingsPath: string; moviesPath: string; seconds: number } {
  mkdirSync(outDir, { recursive: true });
  const ratingsPath = join(outDir, 'ratings.csv');
  const moviesPath = join(outDir, 'movies.csv');
  const ratingsFd = openSync(ratingsPath, 'w');
  const moviesFd = openSync(moviesPath, 'w');
  const startMs = performance.now();
  try {
    const result = generateMovieLens({ ratings, seed }, { ratings: fileSink(ratingsFd), movies: fileSink(moviesFd) });
    return { result, ratingsPath, moviesPath, seconds: (performance.now() - startMs) / 1000 };
  } finally {
    closeSync(ratingsFd);
    closeSync(moviesFd);
  }
}

/**
 * Writes DIR/genome-scores.csv and DIR/genome-tags.csv (`genome`) and DIR/tags.csv (`tags`) of
 * the same synthetic set; they can be added to a directory writeSyntheticDataset filled before.
 */
export function writeSyntheticContent(
  ratings: number,
  seed: number,
  outDir: string,
  which: { genome: boolean; tags: boolean },
): { result: SyntheticContent; paths: string[]; seconds: number } {
  mkdirSync(outDir, { recursive: true });
  const names = [...(which.genome ? ['genome-scores.csv', 'genome-tags.csv'] : []), ...(which.tags ? ['tags.csv'] : [])];
  const fds = new Map(names.map((name) => [name, openSync(join(outDir, name), 'w')]));
  const sink = (name: string) => (fds.has(name) ? fileSink(fds.get(name)!) : undefined);
  const startMs = performance.now();
  try {
    const result = generateContentFiles(
      { ratings, seed },
      { genomeScores: sink('genome-scores.csv'), genomeTags: sink('genome-tags.csv'), tags: sink('tags.csv') },
    );
    return { result, paths: names.map((name) => join(outDir, name)), seconds: (performance.now() - startMs) / 1000 };
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}
