// slowStartBatch (pkg/controller/replicaset/replica_set.go): run `count` calls in batches of 1, 2,
// 4, … in parallel, stopping after the first batch with a failure, so a controller that cannot
// create pods (quota, admission) fails with one request instead of hundreds.

/** SlowStartInitialBatchSize */
export const slowStartInitialBatchSize = 1;

/** Resolves with how many calls succeeded and the first error of the batch that failed, if any. */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length > 0) return { successes, error: failed[0]!.reason };
    remaining -= batch;
  }
  return { successes };
}
