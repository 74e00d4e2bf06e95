/**
 * Every distinct ArrayBuffer under `value`, for Comlink's transfer list: moving buffers instead
 * of copying them is what keeps a 25M-rating model from doubling in memory on its way to the page.
 * SharedArrayBuffers are skipped (they are shared, not moved).
 */
export function collectTransferables(value: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  visit(value, out, new Set());
  return [...out];
}

function visit(value: unknown, out: Set<ArrayBuffer>, seen: Set<object>): void {
  if (value === null || typeof value !== 'object') return;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
    return;
  }
  if (value instanceof ArrayBuffer) {
    out.add(value);
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) visit(item, out, seen);
    return;
  }
  for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], out, seen);
}
