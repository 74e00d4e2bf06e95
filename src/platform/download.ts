/** Saves data as a file through a Blob URL and a temporary link: nothing goes over the network. */
export function downloadFile(name: string, data: Blob | BlobPart, type = ''): void {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  // Firefox follows a download link only when it is in the document.
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the blob after click() returns; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
