// PrioritySort (framework/plugins/queuesort): the activeQ order.
import type { QueuedPodInfo, QueueSortPlugin } from '../../framework/interface.ts';
import { podPriority } from '../../types.ts';

/** PrioritySort: higher priority first, then earlier arrival. */
export class PrioritySort implements QueueSortPlugin {
  readonly name = 'PrioritySort';
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = podPriority(a.pod);
    const pb = podPriority(b.pod);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }
}
