import { beforeAll, describe, expect, it } from 'vitest';
import { ratingRecords, ratingsToLetterboxdCsv, ratingsToMovieLensCsv } from '../../../src/lib/personal/export-ratings';
import { recommendationsToCsv } from '../../../src/lib/personal/recommendations-csv';
import { parseRatingsText } from '../../../src/lib/personal/import-files';
import { sampleCatalog, type SampleCatalog } from '../../support/sample-catalog';

let s: SampleCatalog;
beforeAll(async () => {
  s = await sampleCatalog();
});

describe('ratingsToMovieLensCsv', () => {
  it('writes movieId,rating,timestamp in movieId order, an unknown date left empty', () => {
    const text = ratingsToMovieLensCsv(
      ratingRecords(
        new Map([
          [858, 5],
          [1, 3.5],
        ]),
        new Map([[1, 964982703]]),
      ),
    );
    expect(text).toBe('movieId,rating,timestamp\n1,3.5,964982703\n858,5.0,\n');
  });
  it('reads back as the same ratings', () => {
    const text = ratingsToMovieLensCsv([
      { movieId: 1, rating: 0.5, ratedAt: 5 },
      { movieId: 2, rating: 5 },
    ]);
    expect(parseRatingsText(text, 'export.csv').films.map((f) => [f.movieId, f.rating, f.ratedAt])).toEqual([
      [1, 0.5, 5],
      [2, 5, 0],
    ]);
  });
});

describe('ratingsToLetterboxdCsv', () => {
  it('with links: imdbID and tmdbID first, the title as Letterboxd names it, half stars as Rating10', () => {
    const out = ratingsToLetterboxdCsv(
      [
        { movieId: 858, rating: 4.5 },
        { movieId: 47, rating: 3 },
        { movieId: 29, rating: 5 },
      ],
      s.movies,
      s.links,
    );
    expect(out.text).toBe(
      [
        'imdbID,tmdbID,Title,Year,Rating10',
        'tt0112682,902,The City of Lost Children,1995,10',
        'tt0114369,807,Seven,1995,6',
        'tt0068646,238,The Godfather,1972,9',
        '',
      ].join('\n'),
    );
    expect(out.omitted).toEqual([]);
  });
  it('without links: Title,Year,Rating10, quoting titles with commas', () => {
    const out = ratingsToLetterboxdCsv([{ movieId: 1201, rating: 5 }], s.movies);
    expect(out.text).toBe('Title,Year,Rating10\n"The Good, the Bad and the Ugly",1966,10\n');
  });
  it('leaves out, and names, movies it cannot name', () => {
    const out = ratingsToLetterboxdCsv([{ movieId: 99999999, rating: 5 }], s.movies, s.links);
    expect(out.omitted).toEqual([99999999]);
    expect(out.text).toBe('imdbID,tmdbID,Title,Year,Rating10\n');
  });
});

describe('recommendationsToCsv', () => {
  const items = [
    {
      movieId: 1201,
      title: 'The Good, the Bad and the Ugly (1966)',
      year: 1966,
      score: 0.12345,
      because: [{ title: 'Heat (1995)' }, { title: 'Casino (1995)' }],
    },
    { movieId: 1, title: 'Toy Story (1995)', year: 1995, score: 0.1, because: [] },
  ];
  it('writes rank, movieId, title and year apart, score and the reasons', () => {
    expect(recommendationsToCsv(items)).toBe(
      'rank,movieId,title,year,score,because\n1,1201,"The Good, the Bad and the Ugly",1966,0.1235,Heat; Casino\n2,1,Toy Story,1995,0.1000,\n',
    );
  });
  it('adds the IMDb id when the release has links', () => {
    expect(recommendationsToCsv(items, s.links).split('\n')[1]).toBe('1,1201,tt0060196,"The Good, the Bad and the Ugly",1966,0.1235,Heat; Casino');
  });
});
