// What the controller last wrote to each of a service's slices (upstream's endpointslice_tracker.go):
// a sync whose cache is older than those writes would plan from a past state (and create duplicate
// slices), so it is refused and retried. ResourceVersions here are the store's revisions, compared
// as numbers (upstream compares generations).
import type { KubeObject } from '../../api/meta.ts';

type Expected = { readonly rv: bigint } | 'deleted';

function revision(obj: KubeObject): bigint | undefined {
  try {
    return BigInt(obj.metadata.resourceVersion ?? '');
  } catch {
    return undefined;
  }
}

export class SliceTracker {
  /** service key → slice name → what the cache should show. */
  private readonly services = new Map<string, Map<string, Expected>>();

  expect(serviceKey: string, written: KubeObject): void {
    const rv = revision(written);
    if (rv === undefined) return;
    this.slicesOf(serviceKey).set(written.metadata.name ?? '', { rv });
  }

  expectDeleted(serviceKey: string, slice: KubeObject): void {
    this.slicesOf(serviceKey).set(slice.metadata.name ?? '', 'deleted');
  }

  /** A slice deleted (by anyone) is no longer expected at any version. */
  observeDeleted(slice: KubeObject): void {
    for (const slices of this.services.values()) slices.delete(slice.metadata.name ?? '');
  }

  forget(serviceKey: string): void {
    this.services.delete(serviceKey);
  }

  /**
   * Whether the cache is behind this controller's writes for the service. Expectations the cache
   * has caught up with are dropped.
   */
  stale(serviceKey: string, get: (name: string) => KubeObject | undefined): boolean {
    const slices = this.services.get(serviceKey);
    if (slices === undefined) return false;
    let stale = false;
    for (const [name, expected] of slices) {
      const cached = get(name);
      const caughtUp =
        expected === 'deleted'
          ? cached === undefined || cached.metadata.deletionTimestamp !== undefined
          : cached !== undefined && (revision(cached) ?? 0n) >= expected.rv;
      if (caughtUp) slices.delete(name);
      else stale = true;
    }
    if (slices.size === 0) this.services.delete(serviceKey);
    return stale;
  }

  private slicesOf(serviceKey: string): Map<string, Expected> {
    let slices = this.services.get(serviceKey);
    if (slices === undefined) this.services.set(serviceKey, (slices = new Map()));
    return slices;
  }
}
