import type { Predictor } from './predictor';
import { GlobalMean } from './global-mean';
import { Baseline } from './baseline';
import { ItemKnn, type ItemKnnParams } from './item-knn';
import { Popular } from './popular';
import { Ials } from './ials';
import { ItemKnnTopN } from './item-knn-topn';
import { AppPredictor } from './app';
import { DEFAULT_PARAMS, ParameterError } from '../../types';
import { DEFAULT_HYBRID, type ContentSide, type HybridParams } from '../../recommend/hybrid';
import type { RecommenderKind } from '../../recommend/app-recommender';
import type { ItemKnnTopNParams } from '../../recommend/item-knn-topn';
import type { IalsParams } from '../../recommend/ials';
import { Ease, type EaseParams } from './ease';
import { Mf, type MfParams } from './mf';
import { MfKnnBlend, type MfKnnBlendParams } from './mf-knn-blend';
import { RandomPredictor } from './random';

export type AlgoName = 'random' | 'global-mean' | 'bias' | 'item-knn' | 'popular' | 'ials' | 'item-knn-topn' | 'ease' | 'mf' | 'mf-knn' | 'app' | 'hybrid';

export const ALGOS: readonly AlgoName[] = [
  'random',
  'global-mean',
  'bias',
  'item-knn',
  'popular',
  'ials',
  'item-knn-topn',
  'ease',
  'mf',
  'mf-knn',
  'app',
  'hybrid',
];

export const ALGO_LABELS: Record<AlgoName, string> = {
  random: 'Random (the floor: HR@10 0.10 by chance)',
  'global-mean': 'Global mean',
  bias: 'Bias baseline (user + movie)',
  'item-knn': 'Item-item k-nearest neighbours',
  popular: 'Most popular',
  ials: 'Implicit ALS (latent factors)',
  'item-knn-topn': 'Item-based top-N (sum of similarities)',
  app: 'The app (what "Recommended for you" shows)',
  hybrid: 'Hybrid: latent factors + content (genres, year, tags)',
  ease: 'EASE (shallow linear autoencoder)',
  mf: 'Matrix factorisation (biased, SGD)',
  'mf-knn': 'Blend of matrix factorisation and item-knn',
};

/** Parameters of every algorithm in one flat bag; each algorithm reads the ones it knows. */
export type AlgoParams = Partial<Omit<ItemKnnParams, 'baseline'>> &
  Partial<IalsParams> &
  Partial<Pick<ItemKnnTopNParams, 'normalizeRows'>> & { recommender?: RecommenderKind } & Partial<EaseParams> &
  Partial<MfParams> &
  Partial<MfKnnBlendParams> &
  Partial<HybridParams>;

/** What some predictors need besides the ratings: the content side of the data set. */
export interface PredictorSide {
  content?: ContentSide;
}

export function createPredictor(algo: AlgoName, params: AlgoParams = {}, side: PredictorSide = {}): Predictor {
  switch (algo) {
    case 'random':
      return new RandomPredictor();
    case 'global-mean':
      return new GlobalMean();
    case 'bias':
      return new Baseline();
    case 'item-knn':
      return new ItemKnn(params);
    case 'popular':
      return new Popular();
    case 'ials':
      return new Ials(params);
    case 'item-knn-topn':
      return new ItemKnnTopN(params);
    case 'app':
      return new AppPredictor(appParamsOf(params), side.content);
    case 'hybrid':
      if (!side.content) throw new ParameterError('The hybrid needs the movies file (genres, years) and, better, tags.csv: give the whole release.');
      return new AppPredictor(appParamsOf(params), side.content, hybridParamsOf(params));
    case 'ease':
      return new Ease(params);
    case 'mf':
      return new Mf(params);
    case 'mf-knn':
      return new MfKnnBlend(params);
    default:
      throw new Error(`Unknown algorithm '${String(algo)}'. Choose one of ${ALGOS.join(', ')}.`);
  }
}

/** The app's own settings, with only the iALS parameters a run names explicitly on top. */
function appParamsOf(p: AlgoParams) {
  const { recommender = DEFAULT_PARAMS.recommender, factors, iterations, regularization, regExponent, alpha, cgSteps, ratingWeighted } = p;
  const ials = Object.fromEntries(
    Object.entries({ factors, iterations, regularization, regExponent, alpha, cgSteps, ratingWeighted }).filter(([, v]) => v !== undefined),
  );
  return { recommender, ...ials };
}

function hybridParamsOf(p: AlgoParams): HybridParams {
  return { beta: p.beta ?? DEFAULT_HYBRID.beta, gamma: p.gamma ?? DEFAULT_HYBRID.gamma, gammaNew: p.gammaNew ?? DEFAULT_HYBRID.gammaNew };
}
