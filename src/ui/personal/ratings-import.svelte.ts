import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { InputProblem } from '../../lib/types';
import type { InputFile } from '../../lib/pipeline/input-files';
import type { ImportReview } from '../../lib/personal/import-review';
import { acceptReview } from '../../lib/personal/accept-review';
import type { MyRatings } from '../my-ratings.svelte';
import type { Session } from '../session.svelte';
import { importSummary } from './import-summary';
import { matchCatalogOf, personalBridge } from './personal-worker';

/**
 * idle: nothing going on; reading: the worker reads and matches the files; review: the person
 * looks at the matches (nothing stored yet); saving: the confirmed ratings are being stored.
 */
export type ImportPhase = 'idle' | 'reading' | 'review' | 'saving';

/**
 * One import of a person's ratings, from the files to the summary: the worker reads and matches
 * them, the person unticks or picks in the review, and only "Confirm import" stores anything
 * (acceptReview, then MyRatings.importAccepted). Components read it; only its methods change it.
 */
export class RatingsImport {
  phase = $state<ImportPhase>('idle');
  review = $state.raw<ImportReview | null>(null);
  /** The movie chosen for an ambiguous row, by row key. */
  readonly picks = new SvelteMap<string, number>();
  /** Matched or seen rows the person unticked, by row key. */
  readonly rejected = new SvelteSet<string>();
  /** Why the last read failed: names the file, line and column. */
  problem = $state<InputProblem | null>(null);
  /** The files being read or reviewed, for the status line. */
  fileNames = $state('');
  /** What the last confirmed import changed. */
  summary = $state('');
  /** The last read skipped bad lines (after a problem, on request). */
  skippedBadLines = $state(false);

  private readonly bridge = personalBridge();
  private lastFiles: InputFile[] = [];

  constructor(
    private readonly session: Session,
    private readonly mine: MyRatings,
  ) {}

  get busy(): boolean {
    return this.phase === 'reading' || this.phase === 'saving';
  }

  /** Reads and matches the chosen files against the model in use; shows the review when they read. */
  async read(files: InputFile[], skipBadLines = false): Promise<void> {
    const model = this.session.model;
    if (files.length === 0 || !model || this.busy) return;
    this.phase = 'reading';
    this.problem = null;
    this.summary = '';
    this.review = null;
    this.picks.clear();
    this.rejected.clear();
    this.lastFiles = files;
    this.skippedBadLines = skipBadLines;
    this.fileNames = files.map((f) => f.name).join(', ');
    const links = this.session.links ?? undefined;
    const outcome = await this.bridge.run((api) => api.importRatings(files, matchCatalogOf(model), links, { skipBadLines }));
    if (this.phase !== 'reading') return; // cancelled meanwhile
    if (!outcome.ok) {
      this.problem = outcome.problem.kind === 'cancelled' ? null : outcome.problem;
      this.phase = 'idle';
      return;
    }
    this.review = outcome.value;
    this.phase = 'review';
  }

  /** After a bad line stopped the read: the same files again, leaving bad lines out. */
  async retrySkippingBadLines(): Promise<void> {
    await this.read(this.lastFiles, true);
  }

  get canRetry(): boolean {
    return this.problem?.kind === 'parse' && !this.skippedBadLines && this.lastFiles.length > 0;
  }

  /** Stores what the person kept (newest rating wins) and says what changed. */
  async confirm(): Promise<void> {
    const review = this.review;
    if (this.phase !== 'review' || !review) return;
    this.phase = 'saving';
    const accepted = acceptReview(review, { picks: this.picks, rejected: this.rejected });
    const counts = await this.mine.importAccepted(accepted);
    const unticked = [...review.matched, ...review.matchedByTitle, ...review.seen].filter((r) => this.rejected.has(r.key)).length;
    const unpicked = [...review.ambiguous, ...review.notFound].filter((r) => !this.picks.has(r.key)).length;
    this.summary = importSummary(counts, unticked + unpicked);
    this.review = null;
    this.phase = 'idle';
  }

  /** Leaves the review, or stops a read, without storing anything. */
  cancel(): void {
    if (this.phase === 'reading') this.bridge.cancel('Import cancelled.');
    if (this.phase === 'saving') return;
    this.phase = 'idle';
    this.review = null;
    this.summary = 'Import cancelled: nothing was stored.';
  }

  /** Picks a movie for an ambiguous row; undefined skips it. */
  pick(key: string, movieId: number | undefined): void {
    if (movieId === undefined) this.picks.delete(key);
    else this.picks.set(key, movieId);
  }

  /** Ticks (imports) or unticks (leaves out) a matched or seen row. */
  keep(key: string, kept: boolean): void {
    if (kept) this.rejected.delete(key);
    else this.rejected.add(key);
  }
}
