// The repair controllers (upstream's ipallocator/controller/repair.go and
// portallocator/controller/repair.go): rebuild an allocation bitmap from every stored Service, so
// the bitmap and the Services agree again after a crash, a lost write or a range change. Values in
// use but not marked are marked; values marked but used by no Service are leaks, freed only after
// they stayed unused for a few runs, because another API server may be between reserving a value
// and storing its Service.
import type { KubeObject } from '../../api/meta.ts';
import type { Logger } from '../../log.ts';
import { Bitmap, type BitmapAllocator } from './bitmap-allocator.ts';

/** upstream's numRepairsBeforeLeakCleanup. */
export const repairsBeforeLeakCleanup = 3;

export interface RepairOptions<V> {
  readonly allocator: BitmapAllocator<V>;
  /** Every stored Service, read after the bitmap. */
  readonly list: () => Promise<KubeObject[]>;
  /** The values one Service holds, each once. */
  readonly held: (svc: KubeObject) => V[];
  /** What the values are, for the log: `cluster IP`, `node port`. */
  readonly what: string;
  readonly log?: Logger;
  readonly leakRuns?: number;
}

export interface RepairReport<V> {
  /** Values in use that were not marked (ClusterIPNotAllocated / PortNotAllocated). */
  readonly repaired: V[];
  /** Values held by more than one Service (ClusterIPAlreadyAllocated / PortAlreadyAllocated). */
  readonly duplicates: V[];
  /** Values outside the configured range (ClusterIPOutOfRange / PortOutOfRange). */
  readonly outOfRange: V[];
  /** Leaked values still held back until they stay unused for enough runs. */
  readonly leaked: V[];
  /** Leaked values freed by this run. */
  readonly released: V[];
}

const maxAttempts = 100;

export class RangeRepair<V> {
  private readonly options: RepairOptions<V>;
  /** Leaked offsets and the runs left before they are freed. */
  private leaks = new Map<number, number>();

  constructor(options: RepairOptions<V>) {
    this.options = options;
  }

  /** One repair pass, stored with a compare-and-swap (rerun from scratch on conflict). */
  async runOnce(): Promise<RepairReport<V>> {
    const { allocator, list, held } = this.options;
    const range = allocator.range;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      // The bitmap first, then the Services: a value reserved before the read shows up either in
      // a Service or as a leak, never vanishes unnoticed.
      const stored = await allocator.read();
      const services = await list();
      const report: RepairReport<V> = {
        repaired: [],
        duplicates: [],
        outOfRange: [],
        leaked: [],
        released: [],
      };
      const rebuilt = new Bitmap(range.size);
      for (const svc of services) {
        for (const value of held(svc)) {
          const offset = range.offsetOf(value);
          if (offset === undefined) report.outOfRange.push(value);
          else if (rebuilt.has(offset)) report.duplicates.push(value);
          else {
            if (!stored.bits.has(offset)) report.repaired.push(value);
            rebuilt.set(offset, true);
          }
        }
      }
      const leaks = new Map<number, number>();
      for (const offset of stored.bits.offsets()) {
        if (rebuilt.has(offset)) continue;
        const seen = this.leaks.get(offset);
        const left = seen === undefined ? (this.options.leakRuns ?? repairsBeforeLeakCleanup) - 1 : seen - 1;
        if (left > 0) {
          rebuilt.set(offset, true);
          leaks.set(offset, left);
          report.leaked.push(range.valueAt(offset));
        } else report.released.push(range.valueAt(offset));
      }
      const unchanged = stored.storedRange === range.spec && rebuilt.equals(stored.bits);
      if (unchanged || (await allocator.write(rebuilt, stored.modRevision))) {
        this.leaks = leaks;
        this.logReport(report, stored.storedRange);
        return report;
      }
    }
    throw new Error(`repair of ${allocator.key}: too many conflicting writes`);
  }

  private logReport(report: RepairReport<V>, storedRange: string | undefined): void {
    const { log, what, allocator } = this.options;
    if (log === undefined) return;
    const range = allocator.range.spec;
    const entry = (level: 'info' | 'warn', msg: string, values: V[]): void => {
      if (values.length > 0) log[level](msg, { allocator: what, range, values });
    };
    if (storedRange !== undefined && storedRange !== range)
      log.warn('allocation range changed: rebuilding', { allocator: what, from: storedRange, to: range });
    // The texts of upstream's repair events (ClusterIPOutOfRange, ClusterIPAlreadyAllocated, ...).
    entry('warn', 'not within the configured range; please recreate service', report.outOfRange);
    entry('warn', 'assigned to multiple services; please recreate service', report.duplicates);
    entry('info', 'not allocated; repairing', report.repaired);
    entry('info', 'may have leaked: flagging for later clean up', report.leaked);
    entry('info', 'appears to have leaked: cleaning up', report.released);
  }
}
