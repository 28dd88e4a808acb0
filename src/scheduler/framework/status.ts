// framework.Status (pkg/scheduler/framework/interface.go): a plugin's verdict. Plugins never throw
// for a verdict; a thrown exception is a bug and the framework turns it into an Error status.

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip';

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that returned the verdict; the framework fills it in. */
  readonly plugin?: string;
}

export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) });
export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: Object.freeze([]) });

export function newStatus(code: Code, ...reasons: string[]): Status {
  return { code, reasons };
}

export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export function errorStatus(e: unknown): Status {
  return { code: 'Error', reasons: [e instanceof Error ? e.message : String(e)] };
}

export function isSuccess(s: Status | undefined): boolean {
  return s === undefined || s.code === 'Success';
}

/** Status.IsRejected: Unschedulable, UnschedulableAndUnresolvable or (for Permit) Pending. */
export function isRejected(s: Status): boolean {
  return s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';
}

/** Status.Message: the reasons joined with ", ". */
export function statusMessage(s: Status): string {
  return s.reasons.join(', ');
}

export function withPlugin(s: Status, plugin: string): Status {
  return s.plugin === plugin ? s : { ...s, plugin };
}

export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;
  constructor(status: Status) {
    super(statusMessage(status));
    this.status = status;
  }
}

/** framework.MaxNodeScore / MinNodeScore. */
export const maxNodeScore = 100;
export const minNodeScore = 0;
