import { OutpostError } from '@outpost/shared';

/** The OutpostError `f` throws; fails the test when it throws nothing or something else. */
export function errorOf(f: () => unknown): OutpostError {
  try {
    f();
  } catch (e) {
    if (e instanceof OutpostError) return e;
    throw e;
  }
  throw new Error('expected an OutpostError');
}

/** The OutpostError `p` rejects with; fails the test when it resolves or rejects with something else. */
export async function rejectionOf(p: Promise<unknown>): Promise<OutpostError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof OutpostError) return e;
    throw e;
  }
  throw new Error('expected an OutpostError');
}
