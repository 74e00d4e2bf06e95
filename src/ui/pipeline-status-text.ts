/**
 * The one-sentence state of the pipeline, for the live region of the pipeline panel and of the
 * compact data line (only one of them is shown at a time, so screen readers hear it once).
 */
import { STAGE_LABELS, type Session } from './session.svelte';
import { formatInt, formatMs } from './format';

export function pipelineStatusText(session: Session): string {
  const current = session.stages.at(-1);
  if (session.phase === 'restoring') return 'Looking for a saved model…';
  if (session.phase === 'building' && current) {
    // The live region names the stage, not every count, so screen readers are not flooded.
    const pct = current.progress.total > 0 ? Math.floor((10 * current.progress.done) / current.progress.total) * 10 : 0;
    return `${STAGE_LABELS[current.progress.stage]}… ${pct}%`;
  }
  if (session.phase === 'building') return 'Starting…';
  if (session.phase === 'ready' && session.model) {
    const how =
      session.source === 'cache'
        ? `loaded from the cache in ${formatMs(session.lastRunMs)}`
        : session.source === 'file'
          ? `restored from ${session.modelFileName} in ${formatMs(session.lastRunMs)}`
          : session.model.imported
            ? `made from imported factors in ${formatMs(session.lastRunMs)}`
            : `built in ${formatMs(session.lastRunMs)}`;
    const saving = session.saving ? ' Saving it in this browser…' : session.exporting ? ' Exporting the model file…' : '';
    // An imported model saw no rating: its size is the movies it knows.
    const size = session.model.imported ? `${formatInt(session.model.summary.movies)} movies` : `${formatInt(session.model.summary.ratings)} ratings`;
    return `Model ready: ${size}, ${how}.${saving}`;
  }
  return 'No model yet.';
}
