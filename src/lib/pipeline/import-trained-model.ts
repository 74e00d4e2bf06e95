/**
 * Reads the files of a model trained elsewhere (item factors, a neighbour table, the release's
 * movies file) and assembles the Model (imported-model.ts). The page's worker and the command
 * line both come through here.
 */
import type { Model, MoviesTable } from '../types';
import { readItemFactors } from '../formats/item-factors';
import { readNeighbourTable } from '../formats/neighbour-table';
import { parseDatasetMovies } from '../formats/dataset';
import { baseName, detectDataset, expandInputs, type DatasetFiles, type DatasetFormat, type InputFile } from './input-files';
import { fingerprintOfInputs } from './fingerprint';
import { assembleImportedModel, type ImportHooks, type ImportSettings } from './imported-model';

export interface TrainedModelFiles {
  /** Item factors: Spark's Parquet part files, or one CSV. May be empty when a table is given. */
  factors: InputFile[];
  /** An item-neighbour table (CSV or Parquet). */
  neighbours?: InputFile;
  /** The release the model was trained on (its zip, folder files, or just its movies file), for titles. */
  release: InputFile[];
}

const MOVIES_FILES: Record<string, DatasetFormat> = { 'movies.csv': 'csv', 'movies.dat': 'dat', 'u.item': 'ml-100k' };

/** The release's movies file, parsed; undefined when none was given. */
async function releaseMovies(release: InputFile[]): Promise<{ table: MoviesTable; name: string } | undefined> {
  if (release.length === 0) return undefined;
  const files = await expandInputs(release);
  let ds: DatasetFiles | undefined;
  try {
    ds = await detectDataset(files);
  } catch {
    // No ratings among them (a movies file given on its own): pick it by name. The parser reads
    // only the movies file, so it stands in for the ratings too.
    const movies = files.find((f) => MOVIES_FILES[baseName(f.name)] !== undefined);
    if (movies) ds = { format: MOVIES_FILES[baseName(movies.name)], ratings: movies, movies, ignored: [] };
  }
  if (!ds?.movies) return undefined;
  const parsed = await parseDatasetMovies(ds);
  return parsed ? { table: parsed.movies, name: ds.movies.name } : undefined;
}

/** Reads every file and assembles the model; errors are InputErrors naming the file, row and column. */
export async function importTrainedModel(files: TrainedModelFiles, settings: ImportSettings = {}, hooks: ImportHooks = {}): Promise<Model> {
  const factors = files.factors.length > 0 ? await readItemFactors(files.factors) : undefined;
  hooks.check?.();
  const table = files.neighbours ? await readNeighbourTable(files.neighbours) : undefined;
  hooks.check?.();
  const movies = await releaseMovies(files.release);
  const moviesInput = movies ? files.release.find((f) => f.name === movies.name) : undefined;
  const fingerprint = await fingerprintOfInputs([...files.factors, files.neighbours, moviesInput ?? files.release[0]], { imported: 1, ...settings });
  return assembleImportedModel({ factors, table, movies: movies?.table, moviesFile: movies?.name, fingerprint }, settings, hooks);
}
