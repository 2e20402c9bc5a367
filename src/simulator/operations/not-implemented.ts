// Answer for routed operations whose behaviour later issues will add.
import type { OperationDef } from '../../ers/operations.ts';
import { ErsError } from '../errors.ts';
import type { OperationImpl } from './types.ts';

export function notImplemented(op: OperationDef): OperationImpl {
  return {
    ids: [op.id],
    handle() {
      throw new ErsError(501, 'not-supported', 'SYSTEM_UNAVAILABLE', `${op.activity} ${op.name} is not implemented by the simulator yet`);
    },
  };
}
