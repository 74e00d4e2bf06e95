import { describe, expect, it } from 'vitest';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import { sharedGenomeTags } from '../../../src/lib/content/genome-shared-tags';

const genome: GenomeMatrix = {
  tagNames: ['mafia', 'organized crime', 'slapstick', 'gangsters', 'family'],
  // Movies 0, 2 and 3 have genome rows; movie 1 has none.
  rows: Int32Array.of(0, 2, 3),
  dims: 5,
  relevance: Float32Array.of(
    0.9,
    0.8,
    0.05,
    0.7,
    0.3, // movie 0
    0.95,
    0.6,
    0.0,
    0.9,
    0.3, // movie 2
    0.0,
    0.0,
    0.9,
    0.0,
    0.6, // movie 3
  ),
};

describe('sharedGenomeTags', () => {
  it('names the tags with the largest product of the two relevances first', () => {
    // Products: mafia 0.855, gangsters 0.63, organized crime 0.48, family 0.09, slapstick 0.
    expect(sharedGenomeTags({ genome }, 0, 2)).toEqual(['mafia', 'gangsters', 'organized crime']);
    expect(sharedGenomeTags({ genome }, 2, 0, 5)).toEqual(['mafia', 'gangsters', 'organized crime', 'family']);
    expect(sharedGenomeTags({ genome }, 0, 3, 5)).toEqual(['family', 'slapstick']);
  });

  it('breaks equal products by name', () => {
    const even: GenomeMatrix = { tagNames: ['b', 'a', 'c'], rows: Int32Array.of(0, 1), dims: 3, relevance: Float32Array.of(0.5, 0.5, 0.25, 0.5, 0.5, 1) };
    expect(sharedGenomeTags({ genome: even }, 0, 1)).toEqual(['a', 'b', 'c']);
  });

  it('is empty without a genome, for a movie without a genome row, or for a limit of 0', () => {
    expect(sharedGenomeTags({}, 0, 2)).toEqual([]);
    expect(sharedGenomeTags({ genome }, 0, 1)).toEqual([]);
    expect(sharedGenomeTags({ genome }, 0, 2, 0)).toEqual([]);
  });
});
