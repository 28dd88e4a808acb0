// ImageLocality (framework/plugins/imagelocality): prefer nodes that already have the pod's images,
// weighted by how widely each image is spread, between 23 MB and 1000 MB per container.
import type { NodeInfo } from '../../cache/node-info.ts';
import { normalizedImageName } from '../../cache/node-info.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import type { Handle, PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import { maxNodeScore, SKIP, type Status, SUCCESS } from '../../framework/status.ts';
import type { Pod } from '../../types.ts';

const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = 'ImageLocality';
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  /**
   * Skip when no node has any of the pod's images: every score would be 0 (the sum stays below the
   * minimum threshold), so leaving the plugin out changes no total.
   */
  preScore(_s: CycleState, pod: Pod): Status {
    const known = this.handle.snapshot().imageNumNodes;
    if (known.size === 0) return SKIP;
    if (pod.spec.containers.length === 0 && (pod.spec.initContainers ?? []).length === 0) return SUCCESS;
    for (const c of pod.spec.initContainers ?? []) {
      if (c.image !== undefined && known.has(normalizedImageName(c.image))) return SUCCESS;
    }
    for (const c of pod.spec.containers) {
      if (c.image !== undefined && known.has(normalizedImageName(c.image))) return SUCCESS;
    }
    return SKIP;
  }

  score(_s: CycleState, pod: Pod, ni: NodeInfo): number {
    if (ni.imageSizes.size === 0) return 0;
    const snapshot = this.handle.snapshot();
    const total = snapshot.numNodes;
    const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    let sum = 0;
    for (const c of containers) {
      if (c.image === undefined) continue;
      const name = normalizedImageName(c.image);
      const size = ni.imageSizes.get(name);
      if (size === undefined) continue;
      const spread = total === 0 ? 0 : (snapshot.imageNumNodes.get(name) ?? 0) / total;
      sum += Math.trunc(size * spread);
    }
    const max = maxContainerThreshold * containers.length;
    const clamped = Math.min(Math.max(sum, minThreshold), max);
    return Math.trunc((maxNodeScore * (clamped - minThreshold)) / (max - minThreshold));
  }
}
