import { InputError } from '../types';

/** A file the person gave us, detached from the DOM's File so Node code can make one too. */
export interface InputFile {
  name: string;
  blob: Blob;
  /** Milliseconds since epoch; part of the fingerprint when the platform knows it. */
  lastModified?: number;
}

/** The files one build reads. */
export interface DatasetFiles {
  ratings: InputFile;
  movies?: InputFile;
}

/** Last path segment, lower-cased: "ml-25m/Ratings.csv" -> "ratings.csv". */
function baseName(name: string): string {
  return name.split(/[\\/]/).pop()!.toLowerCase();
}

/**
 * Picks ratings.csv and movies.csv out of whatever was dropped. Other MovieLens files (tags,
 * links, genome) are accepted and ignored for now; anything else is named in the error so the
 * person knows what we looked for.
 */
export function pickDatasetFiles(files: InputFile[]): DatasetFiles {
  const byName = new Map(files.map((f) => [baseName(f.name), f]));
  const ratings = byName.get('ratings.csv');
  if (!ratings) {
    const given = files.map((f) => f.name).join(', ') || 'no files';
    throw new InputError({
      kind: 'format',
      file: given,
      expected: 'ratings.csv (and movies.csv)',
      found: given,
      message: `No ratings.csv among the files given (${given}). Drop the ratings.csv and movies.csv of a MovieLens release.`,
    });
  }
  return { ratings, movies: byName.get('movies.csv') };
}
