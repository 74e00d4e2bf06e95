/**
 * Fuzzing of every parser the app feeds with a person's files: random bytes and mutated valid
 * files (truncated, duplicated and shuffled lines, wrong separators, mixed line endings, invalid
 * UTF-8, huge fields). Each input must end in a result or a typed InputError naming a line in the
 * file, never another exception and never a hang. 10,000+ cases in all, so CI fuzzes every run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RatingsCsvParser } from '../../../src/lib/formats/ratings-csv';
import { MoviesCsvParser } from '../../../src/lib/formats/movies-csv';
import { MoviesDatParser, RatingsDatParser } from '../../../src/lib/formats/dat';
import { UDataParser, UItemParser } from '../../../src/lib/formats/ml-100k';
import { InputError } from '../../../src/lib/types';
import { releaseFiles } from '../../support/fixtures';

interface Parser {
  push(chunk: Uint8Array): void;
  finish(): unknown;
}

const PARSERS: { name: string; make: () => Parser; seed: Uint8Array; runs: number }[] = (() => {
  const file = (release: 'ml-100k' | 'ml-1m' | 'ml-latest-small', name: string) => releaseFiles(release, { folder: false }).find((f) => f.name === name)!.bytes;
  return [
    { name: 'ratings.csv', make: () => new RatingsCsvParser({ fileName: 'ratings.csv' }), seed: file('ml-latest-small', 'ratings.csv'), runs: 3000 },
    { name: 'movies.csv', make: () => new MoviesCsvParser({ fileName: 'movies.csv' }), seed: file('ml-latest-small', 'movies.csv'), runs: 2000 },
    { name: 'ratings.dat', make: () => new RatingsDatParser({ fileName: 'ratings.dat' }), seed: file('ml-1m', 'ratings.dat'), runs: 1500 },
    { name: 'movies.dat', make: () => new MoviesDatParser({ fileName: 'movies.dat' }), seed: file('ml-1m', 'movies.dat'), runs: 1200 },
    { name: 'u.data', make: () => new UDataParser({ fileName: 'u.data' }), seed: file('ml-100k', 'u.data'), runs: 1500 },
    { name: 'u.item', make: () => new UItemParser({ fileName: 'u.item' }), seed: file('ml-100k', 'u.item'), runs: 1200 },
  ];
})();

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; line: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'separator'; at: number; sep: string }
  | { kind: 'crlf'; line: number }
  | { kind: 'huge'; at: number; size: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('separator' as const), at: fc.nat(), sep: fc.constantFrom(';', '\t', '|', '::', ',,', ' ') }),
  fc.record({ kind: fc.constant('crlf' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 1, max: 100_000 }) }),
);

function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = seed;
  for (const m of mutations) {
    const lines = splitLines(bytes);
    switch (m.kind) {
      case 'truncate':
        bytes = bytes.slice(0, m.at % (bytes.length + 1));
        break;
      case 'duplicate': {
        const i = m.line % Math.max(1, lines.length);
        lines.splice(i, 0, lines[i] ?? new Uint8Array());
        bytes = joinLines(lines);
        break;
      }
      case 'swap': {
        if (lines.length < 2) break;
        const a = m.a % lines.length;
        const b = m.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
        bytes = joinLines(lines);
        break;
      }
      case 'byte':
        bytes = bytes.slice();
        if (bytes.length) bytes[m.at % bytes.length] = m.value;
        break;
      case 'separator': {
        const at = m.at % (bytes.length + 1);
        bytes = concat(bytes.slice(0, at), new TextEncoder().encode(m.sep), bytes.slice(at));
        break;
      }
      case 'crlf': {
        const i = m.line % Math.max(1, lines.length);
        if (lines[i]) lines[i] = concat(lines[i], new Uint8Array([13]));
        bytes = joinLines(lines);
        break;
      }
      case 'huge': {
        const at = m.at % (bytes.length + 1);
        bytes = concat(bytes.slice(0, at), new Uint8Array(m.size).fill(0x37), bytes.slice(at));
        break;
      }
    }
  }
  return bytes;
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

function joinLines(lines: Uint8Array[]): Uint8Array {
  return concat(...lines.flatMap((l) => [l, new Uint8Array([10])]));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function countLines(bytes: Uint8Array): number {
  let n = 1;
  for (const b of bytes) if (b === 10) n++;
  return n;
}

/** Parses in random-sized chunks; returns 'ok' or the InputError; anything else fails the property. */
function runParser(make: () => Parser, bytes: Uint8Array, chunk: number): 'ok' | InputError {
  const parser = make();
  try {
    for (let at = 0; at < bytes.length; at += chunk) parser.push(bytes.subarray(at, at + chunk));
    parser.finish();
    return 'ok';
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

/** The time one case may take: generous for a 300 KB input on a busy CI machine. */
const CASE_BUDGET_MS = 2_000;

describe('parsers under fuzzing (10,000+ cases)', () => {
  it('covers at least 10,000 cases', () => {
    expect(PARSERS.reduce((n, p) => n + p.runs * 1, 0)).toBeGreaterThanOrEqual(10_000);
  });

  for (const { name, make, seed, runs } of PARSERS) {
    it(`${name}: random and mutated input gives a result or an InputError on a line of the file`, () => {
      const input = fc.oneof(
        { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(seed, ms)) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
      );
      fc.assert(
        fc.property(input, fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 512, max: 65_536 })), (bytes, chunk) => {
          const started = performance.now();
          const outcome = runParser(make, bytes, chunk);
          expect(performance.now() - started).toBeLessThan(CASE_BUDGET_MS);
          if (outcome !== 'ok') {
            const { problem } = outcome;
            expect(problem.file).toBe(name);
            expect(problem.message.length).toBeGreaterThan(0);
            if (problem.line !== undefined) {
              expect(problem.line).toBeGreaterThanOrEqual(1);
              expect(problem.line).toBeLessThanOrEqual(countLines(bytes));
            }
          }
        }),
        // A counterexample can be 100 KB: report its shape, not its bytes.
        {
          numRuns: runs,
          seed: 20261126,
          reporter: (details) => {
            if (details.failed)
              throw new Error(
                `fuzz case ${details.numRuns} failed (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance).slice(0, 500)}`,
              );
          },
        },
      );
    });
  }
});
