/**
 * The command line's model files on disk: writing and reading a `.latentlens` model file, and
 * reading a model trained elsewhere (Spark's item factors, a neighbour table). latentlens.ts
 * decides when; this file only moves bytes between the disk and the core.
 */
import { closeSync, openAsBlob, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Model, Progress } from '../src/lib/types';
import type { InputFile } from '../src/lib/pipeline/input-files';
import { modelFileSource, writeModelFile, type WriteModelFileOptions } from '../src/lib/cache/write-model-file';
import { readModelFile } from '../src/lib/cache/read-model-file';
import { importTrainedModel } from '../src/lib/pipeline/import-trained-model';
import type { ImportSettings } from '../src/lib/pipeline/imported-model';

type OnProgress = (stage: string, done: number, total: number, detail?: string) => void;

/** A file, or every file under a folder (Spark writes a folder of part files), sorted by path. */
export async function inputFilesAt(path: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const add = async (p: string, name: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) await add(join(p, entry), `${name}/${entry}`);
    } else out.push({ name, blob: await openAsBlob(p), lastModified: st.mtimeMs, path: p });
  };
  await add(path, basename(path));
  return out;
}

/** Writes `model` to `path` chunk by chunk (never the whole file in memory). */
export async function writeModelFileTo(
  path: string,
  model: Model,
  onProgress?: OnProgress,
  opts: WriteModelFileOptions = {},
): Promise<{ fileBytes: number; writeMs: number }> {
  const began = performance.now();
  const fd = openSync(path, 'w');
  try {
    const { fileBytes } = await writeModelFile(modelFileSource(model), (part) => void writeSync(fd, part), {
      ...opts,
      onProgress: (done, total) => onProgress?.('write model file', done, total),
    });
    return { fileBytes, writeMs: performance.now() - began };
  } finally {
    closeSync(fd);
  }
}

/** Reads a model file from disk, checking every checksum; the model needs no release. */
export async function readModelFileFrom(path: string, onProgress?: OnProgress): Promise<{ model: Model; readMs: number }> {
  const began = performance.now();
  const { model } = await readModelFile(await openAsBlob(path), basename(path), { onProgress: (done, total) => onProgress?.('read model file', done, total) });
  return { model, readMs: performance.now() - began };
}

/** A model trained elsewhere: item factors and/or a neighbour table, titled from the release. */
export async function modelFromTrained(
  paths: { factors?: string; neighbours?: string },
  release: InputFile[],
  settings: ImportSettings,
  onProgress?: OnProgress,
): Promise<Model> {
  const factors = paths.factors ? await inputFilesAt(paths.factors) : [];
  const neighbours = paths.neighbours ? (await inputFilesAt(paths.neighbours))[0] : undefined;
  return importTrainedModel({ factors, neighbours, release }, settings, {
    onProgress: (p: Progress) => onProgress?.(p.stage, p.done, p.total, p.detail),
  });
}
