import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateMovieLens, type SyntheticMovieLens } from '../src/lib/synthetic/generate';
import type { ByteSink } from '../src/lib/synthetic/byte-chunks';

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
export function writeSyntheticDataset(ratings: number, seed: number, outDir: string): { result: SyntheticMovieLens; ratingsPath: string; moviesPath: string; seconds: number } {
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
