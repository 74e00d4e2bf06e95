import type { DroppedFile } from '../../workers/pipeline.worker';

/** Files from an <input type=file> (with `webkitdirectory`, each keeps its folder path). */
export function filesFromInput(list: FileList | null | undefined): DroppedFile[] {
  return [...(list ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/**
 * Everything dropped: loose files, zips and whole folders, walked to the bottom. The entries
 * must be taken from the DataTransfer synchronously, before the first await, because the
 * browser empties it once the drop event returns.
 */
export async function filesFromDrop(transfer: DataTransfer | null): Promise<DroppedFile[]> {
  if (!transfer) return [];
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return filesFromInput(transfer.files);
  const out: DroppedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most 100 entries per call (Chromium): call it until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}
