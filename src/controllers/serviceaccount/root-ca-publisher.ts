// The root CA publisher (upstream's pkg/controller/certificates/rootcacertpublisher publisher.go):
// every namespace has the `kube-root-ca.crt` ConfigMap holding the cluster CA bundle under
// `ca.crt`, put back when deleted or changed. Keys are namespace names.
import type { KubeObject } from '../../api/meta.ts';
import { isAlreadyExists, isTombstone, type Lister, resources, WorkQueue } from '../../client/index.ts';
import type { Controller, ControllerContext } from '../types.ts';
import { isActive, namespaceGoneOrTerminating } from './serviceaccounts.ts';

export const rootCACertConfigMapName = 'kube-root-ca.crt';
export const descriptionAnnotation = 'kubernetes.io/description';
export const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCAPublisherOptions {
  /** The CA bundle (PEM); by default the CA the controller's own client trusts (upstream's fallback). */
  readonly rootCA?: string;
  readonly workers?: number;
}

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

interface Running {
  readonly queue: WorkQueue<string>;
  readonly configMaps: Lister<ConfigMap>;
  readonly namespaces: Lister<KubeObject>;
}

/** The ConfigMap as it should be, or undefined when `current` already is (syncNamespace). */
export function desiredConfigMap(
  current: ConfigMap | undefined,
  namespace: string,
  rootCA: string,
): ConfigMap | undefined {
  const data = { 'ca.crt': rootCA };
  if (current === undefined) {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: rootCACertConfigMapName,
        namespace,
        annotations: { [descriptionAnnotation]: description },
      },
      data,
    };
  }
  const sameData = JSON.stringify(current.data ?? {}) === JSON.stringify(data);
  if (sameData && (current.metadata.annotations?.[descriptionAnnotation] ?? '') !== '') return undefined;
  const next = structuredClone(current);
  next.data = data;
  next.metadata.annotations = { ...next.metadata.annotations, [descriptionAnnotation]: description };
  return next;
}

export function rootCACertPublisher(options: RootCAPublisherOptions = {}): Controller {
  const running = new WeakMap<ControllerContext, Running>();
  return {
    name: 'root-ca-cert-publisher',
    register(ctx) {
      const log = ctx.log.with({ controller: 'root-ca-cert-publisher' });
      const queue = new WorkQueue<string>({ name: 'root_ca_cert_publisher', clock: ctx.clock, log });
      const nsInformer = ctx.informers.informerFor<KubeObject>(resources.namespaces);
      const cmInformer = ctx.informers.informerFor<ConfigMap>(resources.configmaps);
      nsInformer.addEventHandler({
        onAdd: (ns) => queue.add(ns.metadata.name ?? ''),
        onUpdate: (_, ns) => {
          if (isActive(ns)) queue.add(ns.metadata.name ?? '');
        },
      });
      const ours = (cm: ConfigMap): boolean => cm.metadata.name === rootCACertConfigMapName;
      cmInformer.addEventHandler({
        onUpdate: (_, cm) => {
          if (ours(cm)) queue.add(cm.metadata.namespace ?? '');
        },
        onDelete: (cm) => {
          const obj = isTombstone(cm) ? cm.obj : cm;
          if (ours(obj)) queue.add(obj.metadata.namespace ?? '');
        },
      });
      running.set(ctx, { queue, configMaps: cmInformer.lister, namespaces: nsInformer.lister });
    },
    async run(ctx, signal) {
      const r = running.get(ctx);
      if (r === undefined) throw new Error('root-ca-cert-publisher: run before register');
      const rootCA = options.rootCA ?? ctx.client.config.ca;
      if (rootCA === undefined || rootCA === '') {
        ctx.log.warn('no root CA to publish', { controller: 'root-ca-cert-publisher' });
        return;
      }
      const client = ctx.client.resource<ConfigMap>(resources.configmaps);
      await r.queue.run(
        options.workers ?? 1,
        async (namespace) => {
          const ns = r.namespaces.get('', namespace);
          if (ns === undefined || ns.metadata.deletionTimestamp !== undefined) return;
          const current = r.configMaps.get(namespace, rootCACertConfigMapName);
          const want = desiredConfigMap(current, namespace, rootCA);
          if (want === undefined) return;
          try {
            if (current === undefined) await client.create(want);
            else await client.update(want);
          } catch (e: unknown) {
            // Don't retry a create in a namespace that is gone or terminating; one made meanwhile
            // is checked again on its own update event.
            if (!namespaceGoneOrTerminating(e) && !isAlreadyExists(e)) throw e;
          }
        },
        signal,
      );
    },
  };
}
