// How a patch fails, as upstream's patch handler reports it: a malformed patch is a 400, a patch that
// does not apply is a 422 with the generic "rejected" message (NewGenericServerResponse), and an
// error upstream does not classify comes back as a 500 with the bare error text.
import { badRequest, requestEntityTooLarge, type StatusBody } from '../../api/status.ts';

export type PatchErrorKind = 'bad-request' | 'too-large' | 'unprocessable' | 'internal';

export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly kind: PatchErrorKind;

  constructor(kind: PatchErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** The Status upstream's apiserver answers a failed patch with. */
export function patchErrorStatus(e: PatchError): StatusBody {
  const head = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' } as const;
  switch (e.kind) {
    case 'bad-request':
      return badRequest(e.message);
    case 'too-large':
      return requestEntityTooLarge(e.message);
    case 'unprocessable':
      // NewGenericServerResponse(422, ...): reason Invalid, the message not passed on, empty details.
      return {
        ...head,
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        details: {},
        code: 422,
      };
    case 'internal':
      // A plain Go error through ErrorToAPIStatus: reason StatusReasonUnknown (""), left out.
      return { ...head, message: e.message, code: 500 } as StatusBody;
  }
}
