/**
 * The files of the Data panel's "Model file" group: the name an export is offered under, and
 * the sorting of what "Import trained factors" was given. That one input takes everything a
 * model trained elsewhere needs, so a person picks it all at once: Spark's factor part files (or
 * a factors CSV), an optional neighbour table, and the release's movies file (or its zip) for
 * the titles. The files are told apart by name.
 */
import type { DroppedFile, TrainedFiles } from '../../workers/pipeline.worker';

/** Files of a MovieLens release: the import reads only the movies file among them, for titles. */
const RELEASE_FILES = new Set(['movies.csv', 'movies.dat', 'u.item', 'ratings.csv', 'ratings.dat', 'u.data', 'tags.csv', 'tags.dat', 'links.csv', 'users.dat']);

const baseName = (path: string) => path.split(/[\\/]/).pop()!.toLowerCase();

/**
 * Sorts the picked files: a `.zip` or a MovieLens file name is the release, a name with
 * "neighbour" (or "neighbor") the neighbour table, anything else the factors. Spark's marker
 * and checksum files (_SUCCESS, .part-0.crc) are left out. With no release among them, the
 * release of the last build (`fallbackRelease`) gives the titles.
 */
export function sortTrainedFiles(dropped: DroppedFile[], fallbackRelease: DroppedFile[] = []): TrainedFiles {
  const factors: DroppedFile[] = [];
  const release: DroppedFile[] = [];
  let neighbours: DroppedFile | undefined;
  for (const f of dropped) {
    const name = baseName(f.path || f.file.name);
    if (name.startsWith('_') || name.startsWith('.') || name.endsWith('.crc')) continue;
    if (name.endsWith('.zip') || RELEASE_FILES.has(name)) release.push(f);
    else if (/neighbou?r/.test(name) && !neighbours) neighbours = f;
    else factors.push(f);
  }
  return { factors, neighbours, release: release.length > 0 ? release : fallbackRelease };
}

/**
 * "ml-latest-small (bundled sample)" -> "ml-latest-small.latentlens": the data set's name, safe
 * in any file system; undefined when the label has nothing usable (the worker's name is used).
 */
export function modelFileNameFor(label: string): string | undefined {
  const slug = label
    .replace(/\s*\(.*\)\s*$/, '')
    .replace(/\.(csv|dat|zip|parquet|latentlens)\b/gi, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug ? `${slug}.latentlens` : undefined;
}
