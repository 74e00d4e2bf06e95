import type { ChunkedCsr, CsrChunk } from '../types';

/** Whether this realm can make SharedArrayBuffers (browsers: only when cross-origin isolated). */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false; // Node has no such flag and always shares
}

function shared<T extends Int32Array | Float32Array>(array: T): T {
  // Already shared (buildCsr with { shared: true }): use it as it is, no copy.
  if (typeof SharedArrayBuffer !== 'undefined' && array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(array.length * Ctor.BYTES_PER_ELEMENT));
  out.set(array);
  return out;
}

/**
 * The matrix with its arrays moved onto SharedArrayBuffers, chunk by chunk, so that every
 * similarity thread reads the same memory instead of a copy each. When buildCsr already
 * allocated them shared (it does when the pool shares memory), nothing is copied.
 * Timestamps are left out: the similarity stage never reads them. Arrays already on
 * SharedArrayBuffers are passed through as they are.
 */
export function shareForSimilarity(csr: ChunkedCsr): ChunkedCsr {
  const chunks: CsrChunk[] = csr.chunks.map((c) => ({
    firstRow: c.firstRow,
    rowCount: c.rowCount,
    indptr: shared(c.indptr),
    indices: shared(c.indices),
    values: shared(c.values),
  }));
  return { rows: csr.rows, cols: csr.cols, nnz: csr.nnz, chunks };
}

/** The matrix without timestamps, for sending copies to threads when memory cannot be shared. */
export function withoutTimestamps(csr: ChunkedCsr): ChunkedCsr {
  return {
    rows: csr.rows,
    cols: csr.cols,
    nnz: csr.nnz,
    chunks: csr.chunks.map(({ firstRow, rowCount, indptr, indices, values }) => ({ firstRow, rowCount, indptr, indices, values })),
  };
}
