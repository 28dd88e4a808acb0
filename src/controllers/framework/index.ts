// What the workload controllers share and other controllers may reuse (pkg/controller's
// controller_utils.go and controller_ref_manager.go).
export * from './types.ts';
export * from './pods.ts';
export * from './controller-ref.ts';
export * from './pod-control.ts';
export * from './conditions.ts';
export * from './expectations.ts';
export * from './slow-start.ts';
export * from './workers.ts';
