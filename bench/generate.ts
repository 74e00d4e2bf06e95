/**
 * Writes a deterministic MovieLens-shaped data set:
 *   npm run gen -- --ratings 25000095 [--seed 1] --out DIR [--genome] [--tags] [--json]
 * produces DIR/ratings.csv and DIR/movies.csv and prints the shape of what it wrote; --genome
 * adds genome-scores.csv and genome-tags.csv (the tag genome: 13,816 movies × 1,128 tags at
 * 25M ratings, proportionally fewer below), --tags adds tags.csv (people's free-text tags).
 */
import { ML25M } from '../src/lib/synthetic/shape';
import { writeSyntheticContent, writeSyntheticDataset } from './write-dataset';

const USAGE = 'usage: npm run gen -- --ratings N [--seed S] --out DIR [--genome] [--tags] [--json]';

interface CliArgs {
  ratings: number;
  seed: number;
  out: string;
  json: boolean;
  genome: boolean;
  tags: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  let ratings = Number.NaN;
  let seed = 1;
  let out = '';
  let json = false;
  let genome = false;
  let tags = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    if (arg === '--ratings') ratings = Number(value().replaceAll('_', ''));
    else if (arg === '--seed') seed = Number(value());
    else if (arg === '--out') out = value();
    else if (arg === '--json') json = true;
    else if (arg === '--genome') genome = true;
    else if (arg === '--tags') tags = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(ratings) || ratings < 1) fail('--ratings must be a positive integer, e.g. --ratings 1000000');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail('--seed must be an integer in 0..4294967295');
  if (out === '') fail('--out DIR is required');
  return { ratings, seed, out, json, genome, tags };
}

function fail(message: string): never {
  console.error(`gen: ${message}\n${USAGE}`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const { result, ratingsPath, moviesPath, seconds: ratingsSeconds } = writeSyntheticDataset(args.ratings, args.seed, args.out);
const content = args.genome || args.tags ? writeSyntheticContent(args.ratings, args.seed, args.out, { genome: args.genome, tags: args.tags }) : undefined;
const elapsedSeconds = ratingsSeconds + (content?.seconds ?? 0);

const { stats, ratingHistogram } = result;
let starSum = 0;
for (let i = 0; i < 10; i++) starSum += ((i + 1) / 2) * ratingHistogram[i];
const report = {
  ...stats,
  ratingMean: starSum / stats.ratings,
  ratingShares: Object.fromEntries(Array.from(ratingHistogram, (n, i) => [((i + 1) / 2).toFixed(1), n / stats.ratings])),
  ratingsBytes: result.ratingsBytes,
  moviesBytes: result.moviesBytes,
  seed: args.seed,
  seconds: elapsedSeconds,
  files: [ratingsPath, moviesPath, ...(content?.paths ?? [])],
  ...(content
    ? {
        genomeMovies: args.genome ? content.result.sizes.genomeMovies : 0,
        genomeTags: args.genome ? content.result.sizes.genomeTags : 0,
        tagApplications: args.tags ? content.result.sizes.tagApplications : 0,
      }
    : {}),
};

if (args.json) console.log(JSON.stringify(report, null, 2));
else {
  const int = (n: number): string => n.toLocaleString('en-US');
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  console.log(
    [
      `wrote ${ratingsPath} (${int(report.ratingsBytes)} bytes) and ${moviesPath} (${int(report.moviesBytes)} bytes) in ${elapsedSeconds.toFixed(1)} s`,
      `ratings   ${int(stats.ratings)}  (seed ${args.seed})`,
      `users     ${int(stats.users)}  ratings per user: min ${stats.userRatingsMin}, median ${stats.userRatingsMedian}, mean ${stats.userRatingsMean.toFixed(1)}, max ${int(stats.userRatingsMax)}, Σ c² ${stats.userRatingsSquareSum.toExponential(3)} (ML-25M scaled to this N: ${((ML25M.userRatingsSquareSum * stats.ratings) / ML25M.ratings).toExponential(2)})`,
      `movies    ${int(stats.moviesListed)} listed, ${int(stats.moviesRated)} rated  most rated: ${int(stats.movieRatingsMax)}, rated with < 5 ratings: ${pct(stats.ratedMoviesUnder5Share)}`,
      `stars     mean ${report.ratingMean.toFixed(2)}  ${Object.entries(report.ratingShares)
        .map(([k, v]) => `${k}:${pct(v)}`)
        .join(' ')}`,
      ...(content && args.genome
        ? [
            `genome    ${int(content.result.sizes.genomeMovies)} movies × ${int(content.result.sizes.genomeTags)} tags (${int(content.result.genomeScoresBytes)} bytes)`,
          ]
        : []),
      ...(content && args.tags ? [`tags      ${int(content.result.sizes.tagApplications)} applications (${int(content.result.tagsBytes)} bytes)`] : []),
    ].join('\n'),
  );
}
