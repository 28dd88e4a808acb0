// The ReplicaSet and ReplicationController controllers (one implementation, as upstream).
export {
  burstReplicas,
  ReplicaSetController,
  type ReplicaSetControllerOptions,
  type SetKind,
  replicaSetKind,
  replicationControllerKind,
} from './controller.ts';
export { calculateStatus } from './status.ts';
