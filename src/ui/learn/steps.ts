/**
 * The Learn walkthrough, in order: step n is `steps[n - 1]` and lives at `#/learn/n`. Adding,
 * reordering or rewording a step is a change to this list and to that step's component.
 */
import type { Component } from 'svelte';
import type { WalkthroughState } from './walkthrough-state.svelte';
import RawLines from './steps/RawLines.svelte';
import IdMaps from './steps/IdMaps.svelte';
import CsrSlices from './steps/CsrSlices.svelte';
import DenseVsSparse from './steps/DenseVsSparse.svelte';
import WorkedCosine from './steps/WorkedCosine.svelte';
import RecomputeTopK from './steps/RecomputeTopK.svelte';
import RecommendationSum from './steps/RecommendationSum.svelte';
import WorkedContentCosine from './steps/WorkedContentCosine.svelte';

/** Every step is given the walkthrough's shared state and nothing else. */
export interface StepProps {
  learn: WalkthroughState;
}

export interface Step {
  /** Stable name of the step, independent of its position and wording. */
  id: string;
  /** The heading: "Step n: {title}". */
  title: string;
  component: Component<StepProps>;
}

export const steps: readonly Step[] = [
  { id: 'ratings-file', title: 'The ratings file', component: RawLines },
  { id: 'id-maps', title: 'Id maps', component: IdMaps },
  { id: 'csr', title: 'The sparse matrix', component: CsrSlices },
  { id: 'dense-vs-sparse', title: 'Dense or sparse?', component: DenseVsSparse },
  { id: 'cosine', title: 'Cosine similarity, worked out', component: WorkedCosine },
  { id: 'top-k', title: 'Top-K neighbours', component: RecomputeTopK },
  { id: 'recommendation', title: 'A recommendation, summed', component: RecommendationSum },
  { id: 'content-cosine', title: 'Content similarity, worked out', component: WorkedContentCosine },
];
