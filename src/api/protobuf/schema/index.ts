// All message tables and top-level kinds in one registry.
import { appsKinds, appsMessages } from './apps.ts';
import { authKinds, authMessages } from './auth.ts';
import { autoscalingKinds, autoscalingMessages } from './autoscaling.ts';
import { batchKinds, batchMessages } from './batch.ts';
import { clusterKinds, clusterMessages } from './cluster.ts';
import { coreKinds, coreMessages } from './core.ts';
import { legacyVolumeMessages } from './legacy-volumes.ts';
import { metaMessages } from './meta.ts';
import { miscKinds, miscMessages } from './misc.ts';
import { networkingKinds, networkingMessages } from './networking.ts';
import { podMessages } from './pod.ts';
import { rbacKinds, rbacMessages } from './rbac.ts';
import { storageKinds, storageMessages } from './storage.ts';
import type { KindTable, MessageName, MessageSpec, MessageTable } from './types.ts';
import { volumeMessages } from './volume.ts';

export type { FieldSpec, MessageName, MessageSpec, Presence, Special, TypeName } from './types.ts';

const messages: MessageTable = {
  ...metaMessages,
  ...coreMessages,
  ...podMessages,
  ...volumeMessages,
  ...legacyVolumeMessages,
  ...clusterMessages,
  ...appsMessages,
  ...batchMessages,
  ...autoscalingMessages,
  ...networkingMessages,
  ...storageMessages,
  ...rbacMessages,
  ...authMessages,
  ...miscMessages,
};

const kinds: KindTable = {
  ...coreKinds,
  ...clusterKinds,
  ...appsKinds,
  ...batchKinds,
  ...autoscalingKinds,
  ...networkingKinds,
  ...storageKinds,
  ...rbacKinds,
  ...authKinds,
  ...miscKinds,
  // metav1.DeleteOptions is registered in every group version; a typed client's Delete sends it
  // in its own group's version (`kubectl drain --disable-eviction`: "v1").
  'v1 DeleteOptions': 'meta.DeleteOptions',
};

const apiVersions: ReadonlySet<string> = new Set(Object.keys(kinds).map((key) => key.split(' ')[0] ?? ''));

export function messageSpec(name: MessageName): MessageSpec | undefined {
  return Object.hasOwn(messages, name) ? messages[name] : undefined;
}

/** The message for a top-level apiVersion and kind, if this decoder knows it. */
export function kindMessage(apiVersion: string, kind: string): MessageName | undefined {
  const key = `${apiVersion} ${kind}`;
  if (Object.hasOwn(kinds, key)) return kinds[key];
  if (kind === 'DeleteOptions' && apiVersions.has(apiVersion)) return 'meta.DeleteOptions';
  return undefined;
}

/** Every known "apiVersion kind", for tests and diagnostics. */
export function knownKinds(): string[] {
  return Object.keys(kinds).sort();
}

/** Every message name, so tests can check that each referenced message exists. */
export function allMessages(): ReadonlyMap<MessageName, MessageSpec> {
  return new Map(Object.entries(messages) as Array<[MessageName, MessageSpec]>);
}
