// syncDaemonSet (pkg/controller/daemon/daemon_controller.go, update.go): claim pods and histories,
// find the current revision, create and delete pods per node, roll the update within its budget,
// trim the history and write the status.
import { type Selector } from '../../api/labels.ts';
import { isNotFound, objectKey } from '../../client/index.ts';
import {
  ControllerRefManager,
  newControllerRef,
  type Pod,
  recheckDeletionTimestamp,
  referenceTo,
  slowStartBatch,
  slowStartInitialBatchSize,
} from '../framework/index.ts';
import {
  type ControllerRevision,
  controllerRevisionHashLabel,
  maxRevision,
  newControllerRevision,
  sortRevisions,
  stableJson,
  templatePatch,
} from '../history/index.ts';
import { computeHash } from '../deployment/index.ts';
import { daemonSetKind, type DaemonSetState } from './state.ts';
import { planNodes, planRollingUpdate } from './decide.ts';
import { daemonPodTemplate, nodeNameAffinity, targetNodeName } from './placement.ts';
import { computeStatus, statusUpToDate } from './status.ts';
import type { DaemonSet } from './types.ts';

export async function syncDaemonSet(
  s: DaemonSetState,
  key: string,
  selector: Selector,
  ds: DaemonSet,
): Promise<void> {
  const nodes = s.nodes.lister.list();
  if (ds.metadata.deletionTimestamp !== undefined) return;
  const canAdopt = recheckDeletionTimestamp(
    () => s.setClient.get(ds.metadata.name ?? '', { namespace: ds.metadata.namespace }),
    ds,
  );
  const { cur, old } = await constructHistory(s, ds, selector, canAdopt);
  const hash = cur.metadata.labels?.[controllerRevisionHashLabel] ?? '';
  if (!s.expectations.satisfiedExpectations(key)) {
    // Only the status: this generation has not been acted on.
    await updateStatus(s, ds, selector, canAdopt, hash, false);
    return;
  }
  let error: unknown;
  try {
    const nodeToPods = await nodesToDaemonPods(s, ds, selector, canAdopt);
    const now = s.ctx.clock.now();
    const plan = planNodes({ ds, nodes, nodeToPods, hash, nowMs: now });
    for (const f of plan.failed) {
      s.recorder.event(
        referenceTo(ds, daemonSetKind),
        'Warning',
        'FailedDaemonPod',
        `Found failed daemon pod ${ds.metadata.namespace ?? ''}/${f.pod} on node ${f.node}, will try to kill it`,
      );
    }
    await syncNodes(s, { key, ds, deletes: plan.delete, creates: plan.create, hash });
    if (s.expectations.satisfiedExpectations(key) && ds.spec.updateStrategy?.type === 'RollingUpdate') {
      const fresh = await nodesToDaemonPods(s, ds, selector, canAdopt);
      const roll = planRollingUpdate({ ds, nodes, nodeToPods: fresh, hash, nowMs: s.ctx.clock.now() });
      await syncNodes(s, { key, ds, deletes: roll.delete, creates: roll.create, hash });
    }
    await cleanupHistory(s, ds, old, nodeToPods);
  } catch (e: unknown) {
    error = e;
  }
  await updateStatus(s, ds, selector, canAdopt, hash, true);
  if (error !== undefined) throw error;
}

/** getNodesToDaemonPods: claimed pods by target node, leaving out deleted terminal pods. */
export async function nodesToDaemonPods(
  s: DaemonSetState,
  ds: DaemonSet,
  selector: Selector,
  canAdopt: () => Promise<void>,
): Promise<Map<string, Pod[]>> {
  const all = s.pods.lister.namespace(ds.metadata.namespace ?? '').list();
  const manager = new ControllerRefManager<Pod>({
    owner: ds,
    kind: daemonSetKind,
    selector,
    children: s.podClient,
    canAdopt,
    log: s.log,
  });
  const claimed = await manager.claim(all);
  const out = new Map<string, Pod[]>();
  for (const pod of claimed) {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (terminal && pod.metadata.deletionTimestamp !== undefined) continue;
    const node = targetNodeName(pod.spec);
    if (node === undefined) continue;
    out.set(node, [...(out.get(node) ?? []), pod]);
  }
  return out;
}

/** syncNodes: deletes and slow-start creates, each counted in the expectations first. */
async function syncNodes(
  s: DaemonSetState,
  o: { key: string; ds: DaemonSet; deletes: string[]; creates: string[]; hash: string },
): Promise<void> {
  const creates = o.creates.slice(0, s.burst);
  const deletes = o.deletes.slice(0, s.burst);
  if (creates.length === 0 && deletes.length === 0) return;
  const namespace = o.ds.metadata.namespace ?? '';
  s.expectations.setExpectations(o.key, creates.length, deletes.length);
  const template = daemonPodTemplate(o.ds, o.hash);
  const ref = newControllerRef(o.ds, daemonSetKind);
  const errors: unknown[] = [];
  let next = 0;
  const { error } = await slowStartBatch(creates.length, slowStartInitialBatchSize, async () => {
    const node = creates[next++]!;
    const podTemplate = structuredClone(template);
    const spec = (podTemplate.spec ??= {});
    spec['affinity'] = nodeNameAffinity(spec['affinity'] as never, node);
    try {
      await s.podControl.createPod(namespace, podTemplate, o.ds, ref);
    } catch (e: unknown) {
      s.expectations.creationObserved(o.key);
      throw e;
    }
  });
  // Creates never attempted will never be observed.
  for (let i = next; i < creates.length; i++) s.expectations.creationObserved(o.key);
  if (error !== undefined) errors.push(error);
  await Promise.all(
    deletes.map(async (name) => {
      try {
        await s.podControl.deletePod(namespace, name, o.ds, daemonSetKind);
      } catch (e: unknown) {
        s.expectations.deletionObserved(o.key);
        if (!isNotFound(e)) errors.push(e);
      }
    }),
  );
  if (errors.length > 0) throw errors[0];
}

/** Match: the revision restores exactly the current template. */
function matches(ds: DaemonSet, rev: ControllerRevision): boolean {
  return stableJson(rev.data) === stableJson(templatePatch(ds.spec.template));
}

/** constructHistory: the revision of the current template (made or renumbered) and the others. */
async function constructHistory(
  s: DaemonSetState,
  ds: DaemonSet,
  selector: Selector,
  canAdopt: () => Promise<void>,
): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let rev of await s.history.list(ds, selector, canAdopt)) {
    if (rev.metadata.labels?.[controllerRevisionHashLabel] === undefined) {
      // Histories from before the hash label: label them with their name.
      const next = structuredClone(rev);
      next.metadata.labels = {
        ...next.metadata.labels,
        [controllerRevisionHashLabel]: next.metadata.name ?? '',
      };
      rev = await s.history.update(next);
    }
    (matches(ds, rev) ? current : old).push(rev);
  }
  const want = maxRevision(old) + 1;
  let cur: ControllerRevision;
  if (current.length === 0) {
    cur = await snapshot(s, ds, want);
  } else {
    // dedupCurHistories: keep the newest, point its pods' labels at it, delete the duplicates.
    const sorted = sortRevisions(current);
    cur = sorted[sorted.length - 1]!;
    for (const dup of sorted.slice(0, -1)) await s.history.delete(dup);
    if (cur.revision < want) cur = await s.history.updateRevision(cur, want);
  }
  return { cur, old };
}

/** snapshot: a revision named `<ds>-<ComputeHash(template, collisionCount)>`. */
async function snapshot(s: DaemonSetState, ds: DaemonSet, revision: number): Promise<ControllerRevision> {
  const collisionCount = ds.status?.collisionCount;
  const hash = computeHash(ds.spec.template ?? {}, collisionCount);
  const rev = newControllerRevision({
    parent: ds,
    kind: daemonSetKind,
    templateLabels: ds.spec.template?.metadata?.labels,
    data: templatePatch(ds.spec.template),
    revision,
    collisionCount: 0,
  });
  rev.metadata.name = `${ds.metadata.name ?? ''}-${hash}`;
  rev.metadata.labels = { ...rev.metadata.labels, [controllerRevisionHashLabel]: hash };
  if (ds.metadata.annotations !== undefined) rev.metadata.annotations = { ...ds.metadata.annotations };
  try {
    return await s.revisionClient.create(rev, { namespace: ds.metadata.namespace });
  } catch (e: unknown) {
    const existing = await s.revisionClient
      .get(rev.metadata.name, { namespace: ds.metadata.namespace })
      .catch(() => undefined);
    if (existing === undefined) throw e;
    const owned = existing.metadata.ownerReferences?.some(
      (r) => r.controller === true && r.uid === ds.metadata.uid,
    );
    if (owned === true && matches(ds, existing)) return existing;
    // A hash collision: count it in the status and try again with the next name.
    const fresh = await s.setClient.get(ds.metadata.name ?? '', { namespace: ds.metadata.namespace });
    const status = { ...fresh.status, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 };
    await s.setClient.updateStatus({ ...fresh, status });
    throw new Error(`found a hash collision for DaemonSet ${objectKey(ds)}; bumped collisionCount`, {
      cause: e,
    });
  }
}

/** cleanupHistory: delete the oldest unused revisions beyond revisionHistoryLimit. */
async function cleanupHistory(
  s: DaemonSetState,
  ds: DaemonSet,
  old: ControllerRevision[],
  nodeToPods: ReadonlyMap<string, readonly Pod[]>,
): Promise<void> {
  let toDelete = old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (toDelete <= 0) return;
  const live = new Set<string>();
  for (const pods of nodeToPods.values()) {
    for (const p of pods) {
      const h = p.metadata.labels?.[controllerRevisionHashLabel];
      if (h !== undefined) live.add(h);
    }
  }
  for (const rev of sortRevisions(old)) {
    if (toDelete <= 0) break;
    if (live.has(rev.metadata.labels?.[controllerRevisionHashLabel] ?? '')) continue;
    await s.history.delete(rev);
    toDelete--;
  }
}

/** updateDaemonSetStatus + storeDaemonSetStatus (one retry on a fresh copy). */
async function updateStatus(
  s: DaemonSetState,
  ds: DaemonSet,
  selector: Selector,
  canAdopt: () => Promise<void>,
  hash: string,
  observe: boolean,
): Promise<void> {
  const nodeToPods = await nodesToDaemonPods(s, ds, selector, canAdopt);
  const now = s.ctx.clock.now();
  const counts = computeStatus({ ds, nodes: s.nodes.lister.list(), nodeToPods, hash, nowMs: now });
  const minReady = ds.spec.minReadySeconds ?? 0;
  if (minReady > 0 && counts.numberReady !== counts.numberAvailable)
    s.queue.addAfter(objectKey(ds), minReady * 1000);
  if (statusUpToDate(ds, counts, observe)) return;
  let current = ds;
  for (let attempt = 0; ; attempt++) {
    const status = { ...current.status, ...counts };
    if (observe) status.observedGeneration = ds.metadata.generation ?? 0;
    try {
      await s.setClient.updateStatus({ ...structuredClone(current), status });
      return;
    } catch (e: unknown) {
      if (attempt >= 1 || isNotFound(e)) throw e;
      current = await s.setClient.get(ds.metadata.name ?? '', { namespace: ds.metadata.namespace });
    }
  }
}
