import type { Predictor } from './predictor';
import { GlobalMean } from './global-mean';
import { Baseline } from './baseline';
import { ItemKnn, type ItemKnnParams } from './item-knn';
import { Popular } from './popular';

export type AlgoName = 'global-mean' | 'bias' | 'item-knn' | 'popular';

export const ALGOS: readonly AlgoName[] = ['global-mean', 'bias', 'item-knn', 'popular'];

export const ALGO_LABELS: Record<AlgoName, string> = {
  'global-mean': 'Global mean',
  bias: 'Bias baseline (user + movie)',
  'item-knn': 'Item-item k-nearest neighbours',
  popular: 'Most popular',
};

/** Parameters of every algorithm in one flat bag; each algorithm reads the ones it knows. */
export type AlgoParams = Partial<Omit<ItemKnnParams, 'baseline'>>;

export function createPredictor(algo: AlgoName, params: AlgoParams = {}): Predictor {
  switch (algo) {
    case 'global-mean':
      return new GlobalMean();
    case 'bias':
      return new Baseline();
    case 'item-knn':
      return new ItemKnn(params);
    case 'popular':
      return new Popular();
    default:
      throw new Error(`Unknown algorithm '${String(algo)}'. Choose one of ${ALGOS.join(', ')}.`);
  }
}
