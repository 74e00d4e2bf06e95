import type { Neighbours, SimilarityKind } from '../../types';
import { computeNeighbours } from '../../model/similarity';
import { toCsr, type Interactions } from '../interactions';
import { DEFAULT_BASELINE, fitBiases, type BaselineParams, type Biases } from './baseline';
import { clamp, ratingRange, scoreByPrediction, type FitHooks, type Predictor } from './predictor';

/**
 * What the neighbours' ratings are averaged as: the raw stars (Surprise's KNNBasic), deviations
 * from each movie's mean (KNNWithMeans) or deviations from the baseline μ+b_u+b_j (KNNBaseline).
 */
export type KnnVariant = 'raw' | 'mean' | 'baseline';

export interface ItemKnnParams {
  /** Neighbours used per prediction: the k most similar movies the user rated. */
  k: number;
  /** Neighbours stored per movie when fitting; k is chosen among these. */
  storedK: number;
  similarity: SimilarityKind;
  variant: KnnVariant;
  /** λ in sim·n/(n+λ), n the number of co-raters: a pair seen by few people counts less. 0 = off. */
  shrinkage: number;
  /** Neighbours with a (shrunk) similarity at or below this are ignored. */
  minSim: number;
  /** With fewer usable neighbours than this, the prediction falls back to the baseline. */
  minNeighbours: number;
  baseline: BaselineParams;
}

export const DEFAULT_ITEM_KNN: ItemKnnParams = {
  k: 30,
  storedK: 200,
  similarity: 'cosine',
  variant: 'baseline',
  shrinkage: 0,
  minSim: 0,
  minNeighbours: 1,
  baseline: DEFAULT_BASELINE,
};

/**
 * Item-item nearest-neighbour rating prediction (Sarwar et al. 2001; Koren 2010 for the
 * baseline-centred form):
 *
 *   r̂_ui = base_ui + Σ_{j ∈ N_k(i;u)} w_ij (r_uj − base_uj) / Σ_j |w_ij|
 *
 * where N_k(i;u) are the k movies most similar to i among those u rated (searched within the
 * storedK neighbours computed on the training ratings), w_ij = sim_ij·n_ij/(n_ij+λ), and base is
 * 0 (raw), the movie mean (mean) or μ+b_u+b_i (baseline). Too few neighbours: the baseline.
 */
export class ItemKnn implements Predictor {
  readonly name = 'item-knn';
  readonly params: ItemKnnParams;
  neighbours: Neighbours | undefined;
  private biases: Biases = { mu: 0, bu: new Float64Array(0), bi: new Float64Array(0) };
  private itemMean = new Float64Array(0);
  private lo = 0;
  private hi = 5;
  // The current user's training ratings as a dense row (NaN = not rated), reused across calls:
  // predictions for one user cost O(storedK) each instead of a search per neighbour.
  private userRow = new Float64Array(0);
  private userMovies: Int32Array = new Int32Array(0);
  private userCount = 0;
  private currentUser = -1;
  private trainStart: Int32Array = new Int32Array(0);
  private trainMovies: Int32Array = new Int32Array(0);
  private trainRatings: Float32Array = new Float32Array(0);
  // Scratch for the chosen neighbours: weights and deviations, best first.
  private w = new Float64Array(0);
  private dev = new Float64Array(0);

  constructor(params: Partial<ItemKnnParams> = {}) {
    this.params = { ...DEFAULT_ITEM_KNN, ...params };
    if (this.params.storedK < this.params.k) this.params.storedK = this.params.k;
  }

  /** Uses neighbours computed elsewhere on the same training ratings (a sweep over k reuses them). */
  fit(train: Interactions, hooks: FitHooks = {}, neighbours?: Neighbours): void {
    const p = this.params;
    this.biases = fitBiases(train, p.baseline, hooks);
    [this.lo, this.hi] = ratingRange(train);
    const sum = new Float64Array(train.nMovies);
    const n = new Int32Array(train.nMovies);
    for (let e = 0; e < train.count; e++) {
      sum[train.movies[e]] += train.ratings[e];
      n[train.movies[e]]++;
    }
    this.itemMean = new Float64Array(train.nMovies);
    for (let i = 0; i < train.nMovies; i++) this.itemMean[i] = n[i] ? sum[i] / n[i] : this.biases.mu;

    const csr = toCsr(train);
    this.neighbours = neighbours ?? computeNeighbours(csr.byMovie, csr.byUser, { k: p.storedK, kind: p.similarity, minRatings: 1, check: hooks.check });
    const ch = csr.byUser.chunks[0];
    this.trainStart = ch.indptr;
    this.trainMovies = ch.indices;
    this.trainRatings = ch.values;
    this.userRow = new Float64Array(train.nMovies).fill(NaN);
    this.currentUser = -1;
    this.w = new Float64Array(p.k + 1);
    this.dev = new Float64Array(p.k + 1);
  }

  private loadUser(u: number): void {
    if (u === this.currentUser) return;
    const row = this.userRow;
    for (let t = 0; t < this.userCount; t++) row[this.userMovies[t]] = NaN;
    const a = this.trainStart[u];
    const b = this.trainStart[u + 1];
    this.userMovies = this.trainMovies.subarray(a, b);
    this.userCount = b - a;
    for (let p = a; p < b; p++) row[this.trainMovies[p]] = this.trainRatings[p];
    this.currentUser = u;
  }

  private base(u: number, i: number): number {
    const v = this.params.variant;
    if (v === 'raw') return 0;
    if (v === 'mean') return this.itemMean[i];
    return this.biases.mu + this.biases.bu[u] + this.biases.bi[i];
  }

  baselinePrediction(u: number, i: number): number {
    return clamp(this.biases.mu + this.biases.bu[u] + this.biases.bi[i], this.lo, this.hi);
  }

  predict(u: number, i: number): number {
    const nb = this.neighbours!;
    const { k, shrinkage, minSim, minNeighbours } = this.params;
    this.loadUser(u);
    const row = this.userRow;
    const w = this.w;
    const dev = this.dev;
    const K = nb.k;
    const slot0 = i * K;
    const filled = nb.count[i];
    let chosen = 0;
    for (let s = 0; s < filled; s++) {
      const j = nb.index[slot0 + s];
      const r = row[j];
      if (r !== r) continue;
      const n = nb.coCount[slot0 + s];
      const sim = shrinkage > 0 ? (nb.similarity[slot0 + s] * n) / (n + shrinkage) : nb.similarity[slot0 + s];
      if (!(sim > minSim)) continue;
      // Insertion into the k best so far (w descending); shrinkage can reorder the stored list.
      if (chosen === k && sim <= w[k - 1]) continue;
      let at = chosen < k ? chosen++ : k - 1;
      while (at > 0 && w[at - 1] < sim) {
        w[at] = w[at - 1];
        dev[at] = dev[at - 1];
        at--;
      }
      w[at] = sim;
      dev[at] = r - this.base(u, j);
    }
    if (chosen < minNeighbours || chosen === 0) return this.baselinePrediction(u, i);
    let num = 0;
    let den = 0;
    for (let t = 0; t < chosen; t++) {
      num += w[t] * dev[t];
      den += Math.abs(w[t]);
    }
    if (!(den > 0)) return this.baselinePrediction(u, i);
    return clamp(this.base(u, i) + num / den, this.lo, this.hi);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    scoreByPrediction(this, user, candidates, out);
  }
}
