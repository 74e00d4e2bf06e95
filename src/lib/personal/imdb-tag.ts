/** IMDb's spelling of an id: at least seven digits after "tt". */
export function imdbTag(imdbId: number): string {
  return `tt${String(imdbId).padStart(7, '0')}`;
}
