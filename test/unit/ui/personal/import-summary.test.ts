import { describe, expect, it } from 'vitest';
import { filmLabel, importSummary, starsLabel } from '../../../../src/ui/personal/import-summary';
import { film } from '../../../support/imported-films';

const none = { added: 0, updated: 0, unchanged: 0, keptNewer: 0, seenAdded: 0 };

describe('importSummary: what a confirmed import changed, in one sentence', () => {
  it('always names added, updated and unchanged', () => {
    expect(importSummary({ ...none, added: 12, updated: 1, unchanged: 30 })).toBe('Added 12, updated 1, unchanged 30.');
    expect(importSummary(none)).toBe('Added 0, updated 0, unchanged 0.');
  });

  it('names kept-newer ratings, newly seen films and what was left out only when there are some', () => {
    expect(importSummary({ ...none, added: 1, keptNewer: 2, seenAdded: 1 }, 3)).toBe(
      'Added 1, updated 0, unchanged 0, kept 2 newer ratings you already had, marked 1 as seen. 3 films were not imported.',
    );
    expect(importSummary({ ...none, keptNewer: 1 }, 1)).toBe('Added 0, updated 0, unchanged 0, kept 1 newer rating you already had. 1 film was not imported.');
  });

  it('writes thousands with separators', () => {
    expect(importSummary({ ...none, added: 12_345 })).toBe('Added 12,345, updated 0, unchanged 0.');
  });
});

describe('filmLabel: an imported film as its file names it', () => {
  it('is the title and year, the title alone, or the id the file has', () => {
    expect(filmLabel(film({ title: 'The Godfather', year: 1972 }))).toBe('The Godfather (1972)');
    expect(filmLabel(film({ title: 'Hamlet' }))).toBe('Hamlet');
    expect(filmLabel(film({ movieId: 858, source: 'movielens' }))).toBe('movieId 858');
    expect(filmLabel(film({ imdbId: 68646, source: 'imdb' }))).toBe('tt0068646');
    expect(filmLabel(film({ tmdbId: 238 }))).toBe('TMDb 238');
  });

  it('shows "seen" for a film watched without a rating', () => {
    expect(starsLabel(null)).toBe('seen');
    expect(starsLabel(3.5)).toBe('3.5 ★');
  });
});
