/**
 * Where the content stage finds its files. The build unpacks a zip without the tag genome
 * (genome-scores.csv is 415 MB in ML-25M and the model does not read it), so the content stage,
 * which runs after the model is in use, takes the genome out of the zip itself, only then.
 */
import type { ContentSources } from '../content/content-model';
import { hasZipSignature, isJunkEntry, unzipBlob } from '../formats/zip';
import type { CheckCancelled } from '../types';
import { baseName, type DatasetFiles, type InputFile } from './input-files';

/** What the content stage reads of a release: its tags and genome, or the zips that hold the genome. */
export function contentSourcesOf(ds: DatasetFiles, given: InputFile[]): ContentSources {
  const sources: ContentSources = { tags: ds.tags };
  if (ds.genomeScores && ds.genomeTags) {
    sources.genomeScores = ds.genomeScores;
    sources.genomeTags = ds.genomeTags;
  } else if (ds.format === 'csv' && given.length > 0) {
    sources.archives = given;
  }
  return sources;
}

const GENOME_NAMES: Record<string, 'genomeScores' | 'genomeTags'> = {
  'genome-scores.csv': 'genomeScores',
  'genome-tags.csv': 'genomeTags',
};

/**
 * genome-scores.csv and genome-tags.csv out of the zips among `files` (other entries are stepped
 * over without inflating); undefined unless both are found. The first zip that has them wins.
 */
export async function unpackGenome(
  files: InputFile[],
  opts: { check?: CheckCancelled; onProgress?: (bytesDone: number, bytesTotal: number) => void } = {},
): Promise<Pick<ContentSources, 'genomeScores' | 'genomeTags'> | undefined> {
  const zips: InputFile[] = [];
  for (const f of files) {
    if (/\.zip$/i.test(f.name) || hasZipSignature(new Uint8Array(await f.blob.slice(0, 4).arrayBuffer()))) zips.push(f);
  }
  for (const zip of zips) {
    const entries = await unzipBlob(zip.blob, {
      fileName: zip.name,
      keep: (name) => !isJunkEntry(name) && baseName(name) in GENOME_NAMES,
      check: opts.check,
      onProgress: opts.onProgress,
    });
    const found: Pick<ContentSources, 'genomeScores' | 'genomeTags'> = {};
    for (const e of entries) found[GENOME_NAMES[baseName(e.name)]] ??= { name: e.name, blob: e.blob, lastModified: zip.lastModified };
    if (found.genomeScores && found.genomeTags) return found;
  }
  return undefined;
}
