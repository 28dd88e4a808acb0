// All message tables and top-level kinds in one registry.
import { coreKinds, coreMessages } from './core.ts';
import { metaMessages } from './meta.ts';
import { miscKinds, miscMessages } from './misc.ts';
import { podMessages } from './pod.ts';
import { rbacKinds, rbacMessages } from './rbac.ts';
import type { KindTable, MessageName, MessageSpec, MessageTable } from './types.ts';
import { volumeMessages } from './volume.ts';
import { workloadKinds, workloadMessages } from './workloads.ts';

export type { FieldSpec, MessageName, MessageSpec, Presence, Special, TypeName } from './types.ts';

const messages: MessageTable = {
  ...metaMessages,
  ...coreMessages,
  ...podMessages,
  ...volumeMessages,
  ...workloadMessages,
  ...rbacMessages,
  ...miscMessages,
};

const kinds: KindTable = { ...coreKinds, ...workloadKinds, ...rbacKinds, ...miscKinds };

export function messageSpec(name: MessageName): MessageSpec | undefined {
  return Object.hasOwn(messages, name) ? messages[name] : undefined;
}

/** The message for a top-level apiVersion and kind, if this decoder knows it. */
export function kindMessage(apiVersion: string, kind: string): MessageName | undefined {
  const key = `${apiVersion} ${kind}`;
  return Object.hasOwn(kinds, key) ? kinds[key] : undefined;
}

/** Every known "apiVersion kind", for tests and diagnostics. */
export function knownKinds(): string[] {
  return Object.keys(kinds).sort();
}

/** Every message name, so tests can check that each referenced message exists. */
export function allMessages(): ReadonlyMap<MessageName, MessageSpec> {
  return new Map(Object.entries(messages) as Array<[MessageName, MessageSpec]>);
}
