// The garbage-collector controller (upstream's garbagecollector.NewGarbageCollector, started by
// startGarbageCollectorController). One collector per controller context.
import type { Controller, ControllerContext } from '../types.ts';
import { GarbageCollector, type GarbageCollectorOptions } from './collector.ts';

export { type DiscoveredResource, discover, type Discovery, resourceName, supportsAll } from './discovery.ts';
export { GarbageCollector, type GarbageCollectorOptions } from './collector.ts';

export function garbageCollectorController(options: GarbageCollectorOptions = {}): Controller {
  const collectors = new WeakMap<ControllerContext, GarbageCollector>();
  return {
    name: 'garbage-collector',
    register(ctx) {
      collectors.set(ctx, new GarbageCollector(ctx, options));
    },
    async run(ctx, signal) {
      const gc = collectors.get(ctx) ?? new GarbageCollector(ctx, options);
      await gc.run(signal);
    },
  };
}
