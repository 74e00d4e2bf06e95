import { CancelledError, InputError, type InputProblem } from '../types';

/**
 * What a worker call returns. Errors travel as plain data because class instances (and their
 * extra fields, such as InputError.problem) do not survive structured cloning.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

/** Turns anything thrown inside a stage into a problem a person can read. */
export function problemFrom(error: unknown, file = ''): InputProblem {
  if (error instanceof InputError) return error.problem;
  if (error instanceof CancelledError) return { kind: 'cancelled', file, message: 'Cancelled.' };
  const e = error as { name?: string; message?: string } | undefined;
  if (e?.name === 'NotReadableError') {
    return { kind: 'io', file, message: `Could not read ${file || 'the file'}: it was moved, changed or is no longer accessible. Choose it again.` };
  }
  if (e?.name === 'RangeError' && /allocation|Array buffer|memory/i.test(e.message ?? '')) {
    return {
      kind: 'worker',
      file,
      message: 'The browser ran out of memory building the model. Try a smaller MovieLens release, close other tabs, or use a 64-bit desktop browser.',
    };
  }
  return { kind: 'internal', file, message: `Something went wrong: ${e?.message ?? String(error)}` };
}
