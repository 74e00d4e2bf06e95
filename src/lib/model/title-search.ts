import uFuzzy from '@leeoniya/ufuzzy';

/** A 4-digit year in a query ("godfather 1972") narrows results to that year. */
const YEAR_IN_QUERY = /\b(18[89]\d|19\d\d|20\d\d)\b/;

/**
 * Search-as-you-type over movie titles: typo-tolerant (one substitution, transposition,
 * insertion or deletion per word, via uFuzzy's SingleError mode), accent-blind ("amelie" finds
 * "Amélie"), year-aware, and with the most-rated of equally good matches first, because a person
 * typing "godfather" almost always means the 1972 film.
 */
export class TitleSearch {
  private readonly fuzzy = new uFuzzy({ intraMode: 1, intraIns: 1, intraSub: 1, intraTrn: 1, intraDel: 1 });
  private readonly haystack: string[];

  constructor(
    titles: readonly string[],
    private readonly years: Int16Array,
    private readonly votes: Int32Array,
  ) {
    this.haystack = uFuzzy.latinize(titles.map((t) => t.toLowerCase()));
  }

  /** Dense movie indices, best first. */
  search(query: string, limit = 20): number[] {
    let needle = uFuzzy.latinize(query.toLowerCase()).trim();
    const yearMatch = YEAR_IN_QUERY.exec(needle);
    const year = yearMatch ? Number(yearMatch[1]) : 0;
    if (yearMatch)
      needle = needle
        .replace(yearMatch[0], ' ')
        .replace(/\(\s*\)/g, ' ')
        .trim();
    if (!needle) {
      return year ? this.byYear(year, limit) : [];
    }
    const [idxs, info, order] = this.fuzzy.search(this.haystack, needle, 1, 1e4);
    if (!idxs || idxs.length === 0) return [];
    const ranked = info && order ? order.map((o) => info.idx[o]) : idxs;
    let candidates = ranked;
    if (year) {
      const sameYear = ranked.filter((i) => this.years[i] === year);
      if (sameYear.length) candidates = sameYear;
    }
    const tierOf = (i: number): number => {
      const t = this.haystack[i];
      if (t.startsWith(needle) || t.startsWith(`the ${needle}`)) return 0;
      if (t.includes(needle)) return 1;
      return 2;
    };
    const position = new Map(candidates.map((i, p) => [i, p]));
    return candidates
      .slice(0, 500)
      .sort((a, b) => tierOf(a) - tierOf(b) || this.votes[b] - this.votes[a] || position.get(a)! - position.get(b)!)
      .slice(0, limit);
  }

  private byYear(year: number, limit: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.years.length; i++) if (this.years[i] === year) out.push(i);
    return out.sort((a, b) => this.votes[b] - this.votes[a]).slice(0, limit);
  }
}
