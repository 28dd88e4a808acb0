// ControllerRevision helpers shared by the DaemonSet and StatefulSet controllers
// (pkg/controller/history).
export * from './revision.ts';
export { ControllerHistory, type ControllerHistoryOptions, revisionsToTruncate } from './histories.ts';
