/**
 * What the Learn walkthrough keeps while a person steps through it: the movie (and partner)
 * being looked at, the settings typed in, and the worker calls with their last answers. It
 * lives above the steps because a step is unmounted when another is shown, and the choices
 * made in one step (the movie above all) carry over to the next.
 */
import type { ModelQueries } from '../../lib/model/model-queries';
import type { Session } from '../session.svelte';
import type { FirstSteps } from '../../../workers/explore.worker';
import type { MovieColumnSlice, OneNeighbour, WorkedCosine } from '../../lib/explore/walkthrough';
import { mostRated } from '../../lib/explore/taste-map';
import { neighboursOf } from '../../lib/model/neighbour-list';
import { ExploreTask } from '../explore/explore-client.svelte';
import type { ContentModel } from '../../lib/content/content-model';
import type { ContentSide } from '../../lib/explore/content-walkthrough';

/** The content model as the content step reads it: with its genome when the release has one. */
export type LearnContent = ContentSide & Pick<ContentModel, 'neighbours' | 'features'>;

/** The Godfather's movieId: the walkthrough's example when the data set has it. */
const GODFATHER = 858;

export class WalkthroughState {
  readonly model = $derived(this.queries.model);
  readonly fingerprint = $derived(this.session.model?.fingerprint ?? this.model.fingerprint);

  // --- The chosen movie: The Godfather when the set has it, else the most rated movie.
  private readonly defaultMovie = $derived.by(() => {
    const g = this.queries.cardById(GODFATHER);
    return g && g.votes > 0 ? g.index : (mostRated(this.model.stats.count, 1)[0] ?? 0);
  });
  private picked = $state<number | null>(null);
  readonly movie = $derived(this.picked ?? this.defaultMovie);
  /** The chosen movie's stored neighbours, best first. */
  readonly stored = $derived(neighboursOf(this.model.neighbours, this.movie));
  private pickedPartner = $state<number | null>(null);
  /** The movie compared with `movie`: the one picked, else its top stored neighbour. */
  readonly partner = $derived(this.pickedPartner !== null && this.pickedPartner !== this.movie ? this.pickedPartner : (this.stored[0]?.index ?? null));

  // --- The content side (genres, era, tags, genome): learnt in the background after a build,
  // so absent for a moment, and absent for good without a movies file.
  readonly content: LearnContent | undefined = $derived(this.model.content);
  /** The chosen movie's content neighbours, best first. */
  readonly storedContent = $derived(this.content ? neighboursOf(this.content.neighbours, this.movie) : []);
  private pickedContentPartner = $state<number | null>(null);
  /** The movie compared in content with `movie`: the one picked, else its top content neighbour. */
  readonly contentPartner = $derived(
    this.pickedContentPartner !== null && this.pickedContentPartner !== this.movie ? this.pickedContentPartner : (this.storedContent[0]?.index ?? null),
  );

  // --- Worker calls. Each step starts its own when shown; they are kept here so a step shown
  // again keeps its last answer on screen while it recomputes.
  readonly first = new ExploreTask<FirstSteps>();
  readonly column = new ExploreTask<{ column: MovieColumnSlice }>();
  readonly cosine = new ExploreTask<{ worked: WorkedCosine }>();
  readonly topK = new ExploreTask<{ list: OneNeighbour[] }>();

  /** Step 6's K and minimum: start at the model's own, may be overwritten, reset with a new model. */
  k = $derived(this.model.params.k);
  minRatings = $derived(this.model.params.minRatings);
  /** Step 7's stars for its three example ratings, in the order of its examples. */
  stars = $state([5, 4, 1.5]);

  /** Getters, not values, so the state follows the view's props as they change. */
  constructor(
    private readonly getQueries: () => ModelQueries,
    private readonly getSession: () => Session,
  ) {}

  get queries(): ModelQueries {
    return this.getQueries();
  }

  private get session(): Session {
    return this.getSession();
  }

  /** Chooses the movie every step looks at; its partners go back to the top neighbours. */
  readonly pick = (index: number): void => {
    this.picked = index;
    this.pickedPartner = null;
    this.pickedContentPartner = null;
  };

  pickPartner(index: number): void {
    this.pickedPartner = index;
  }

  pickContentPartner(index: number): void {
    this.pickedContentPartner = index;
  }

  /** Starts the one call behind steps 1 and 4 (sample lines, array sizes) unless it has answered or is under way. */
  loadFirstSteps(): void {
    const fp = this.fingerprint;
    if (!this.first.value && !this.first.running) void this.first.run((api, p) => api.firstSteps(fp, 12, p));
  }

  readonly title = (index: number): string => this.queries.titles[index];
  readonly userId = (user: number): number => this.model.users.ids[user];
}
