import type { Progress, StageName } from '../types';

export type ProgressSink = (p: Progress) => void;

/**
 * Times one pipeline stage and reports its progress at most every `intervalMs`, so that a hot
 * loop calling `tick` per chunk never floods the worker's message channel. The first and the
 * final report always go out.
 */
export class StageClock {
  readonly stage: StageName;
  readonly startedAt: number;
  private lastReportAt = -Infinity;

  constructor(
    stage: StageName,
    private readonly unit: Progress['unit'],
    private readonly sink: ProgressSink | undefined,
    private readonly intervalMs = 100,
  ) {
    this.stage = stage;
    this.startedAt = performance.now();
  }

  get elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  tick(done: number, total: number, detail?: string): void {
    const now = performance.now();
    if (now - this.lastReportAt < this.intervalMs) return;
    this.lastReportAt = now;
    this.sink?.({ stage: this.stage, done, total, unit: this.unit, elapsedMs: now - this.startedAt, detail });
  }

  finish(done: number, total: number, detail?: string): number {
    const elapsedMs = this.elapsedMs;
    this.sink?.({ stage: this.stage, done, total, unit: this.unit, elapsedMs, detail });
    return elapsedMs;
  }
}
