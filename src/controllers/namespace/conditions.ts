// The deletion conditions of a terminating namespace (upstream's pkg/controller/namespace/deletion
// namespace_condition_utils.go): each of the five is True with a failure reason while it applies,
// else False with the matching "ok" reason, so a user sees why a namespace is stuck.

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

type ConditionType = (typeof conditionTypes)[number];

const okReasons: Record<ConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};

const okMessages: Record<ConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

/** What one pass over the namespace's content found (namespaceConditionUpdater's inputs). */
export interface DeletionReport {
  /** Group versions discovery could not read. */
  discoveryFailures: Map<string, string>;
  groupVersionErrors: string[];
  deleteContentErrors: string[];
  /** `resource.group` (`configmaps.` for the core group, as upstream prints it) → objects left. */
  remaining: Map<string, number>;
  /** finalizer → objects left holding it. */
  finalizersRemaining: Map<string, number>;
}

export function emptyReport(): DeletionReport {
  return {
    discoveryFailures: new Map(),
    groupVersionErrors: [],
    deleteContentErrors: [],
    remaining: new Map(),
    finalizersRemaining: new Map(),
  };
}

/** The failing conditions a report implies (absent types are the "ok" variant). */
export function failingConditions(
  report: DeletionReport,
): Map<ConditionType, { reason: string; message: string }> {
  const out = new Map<ConditionType, { reason: string; message: string }>();
  if (report.discoveryFailures.size > 0) {
    const groups = [...report.discoveryFailures].map(([gv, err]) => `${gv}: ${err}`).sort();
    out.set('NamespaceDeletionDiscoveryFailure', {
      reason: 'DiscoveryFailed',
      message: `Discovery failed for some groups, ${report.discoveryFailures.size} failing: unable to retrieve the complete list of server APIs: ${groups.join(', ')}`,
    });
  }
  if (report.groupVersionErrors.length > 0) {
    out.set('NamespaceDeletionGroupVersionParsingFailure', {
      reason: 'GroupVersionParsingFailed',
      message: [...report.groupVersionErrors].sort().join(', '),
    });
  }
  if (report.deleteContentErrors.length > 0) {
    const msgs = [...report.deleteContentErrors].sort();
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  const remaining = [...report.remaining]
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} has ${n} resource instances`)
    .sort();
  if (remaining.length > 0) {
    out.set('NamespaceContentRemaining', {
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.join(', ')}`,
    });
  }
  const finalizers = [...report.finalizersRemaining]
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} in ${n} resource instances`)
    .sort();
  if (finalizers.length > 0) {
    out.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
    });
  }
  return out;
}

/**
 * updateConditions: the namespace's conditions with every deletion condition set from the report;
 * lastTransitionTime moves only when a status flips. Returns undefined when nothing changed.
 */
export function updateConditions(
  current: readonly NamespaceCondition[],
  report: DeletionReport,
  now: string,
): NamespaceCondition[] | undefined {
  const failing = failingConditions(report);
  const next = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of conditionTypes) {
    const f = failing.get(type);
    const want: NamespaceCondition =
      f === undefined
        ? {
            type,
            status: 'False',
            lastTransitionTime: now,
            reason: okReasons[type],
            message: okMessages[type],
          }
        : { type, status: 'True', lastTransitionTime: now, reason: f.reason, message: f.message };
    const old = next.find((c) => c.type === type);
    if (old === undefined) {
      next.push(want);
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      old.status = want.status;
      old.reason = want.reason;
      old.message = want.message;
      changed = true;
    }
  }
  return changed ? next : undefined;
}
