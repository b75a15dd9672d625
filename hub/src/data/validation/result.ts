/** What a suite run reports; plain JSON so it can be stored beside the dataset version. */

export interface FailureSample {
  /** 1-based row number, as the caller numbered rows. */
  row: number;
  /** Column checks: the cell as read (null when absent). */
  value?: unknown;
  /** row_predicate: the cells of the columns the expression reads. */
  values?: Record<string, unknown>;
}

export interface ExpectationResult {
  /** Position in the suite's `expectations`. */
  index: number;
  type: string;
  column?: string;
  /** The expectation's description; for row_predicate, else its `name`, else its expression. */
  description?: string;
  success: boolean;
  /** Failing rows; 0 for aggregate expectations (row_count, mean, std). */
  unexpectedCount: number;
  /** Rows looked at: non-missing ones for column checks (all rows for not_null), numeric ones for mean/std. */
  evaluatedCount: number;
  /** row_count, mean, std: the observed value; null when there was nothing to compute it from. */
  observed?: number | null;
  /** The first failing rows, in row order, at most `sampleLimit` (20). */
  samples: FailureSample[];
  /** Why the check could not be completed (it then does not succeed). */
  unverifiable?: string;
}

export interface ValidationResult {
  suite: string;
  /** Every expectation succeeded. */
  success: boolean;
  rowCount: number;
  expectations: ExpectationResult[];
}
