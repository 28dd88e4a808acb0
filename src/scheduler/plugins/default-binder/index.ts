// DefaultBinder (framework/plugins/defaultbinder).
import type { CycleState } from '../../framework/cycle-state.ts';
import { type Binder, type BindPlugin, type Handle } from '../../framework/interface.ts';
import { errorStatus, type Status, SUCCESS } from '../../framework/status.ts';
import { type Pod } from '../../types.ts';

/** DefaultBinder: writes the binding through the injected Binder. */
export class DefaultBinder implements BindPlugin {
  readonly name = 'DefaultBinder';
  private readonly binder: Binder;
  constructor(handle: Handle) {
    this.binder = handle.binder;
  }
  async bind(_s: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    try {
      await this.binder.bind(pod, nodeName);
      return SUCCESS;
    } catch (e: unknown) {
      return errorStatus(e);
    }
  }
}
