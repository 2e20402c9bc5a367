// The provider PAS behind a directly bookable service, as seeded (services.yaml `pas`): ok, error, timeout or refuse.
import { ErsError, unprocessable } from '../errors.ts';
import type { Service } from '../seed/types.ts';

/** Asks the service's simulated PAS to book or cancel; throws the documented e-RS answer when it fails. */
export async function callPas(service: Service, action: 'book' | 'cancel'): Promise<void> {
  const pas = service.pas ?? {};
  // always yield once, so concurrent requests interleave as they would against a real PAS
  await new Promise((resolve) => setTimeout(resolve, pas.latencyMs ?? 0));
  switch (pas[action] ?? 'ok') {
    case 'ok':
      return;
    case 'error':
      throw new ErsError(502, 'exception', 'PAS_RESPONDED_WITH_ERROR', `The PAS of service ${service.id} returned an error while trying to ${action} the appointment`);
    case 'timeout':
      throw new ErsError(504, 'timeout', 'PAS_NOT_RESPONDING', `The PAS of service ${service.id} did not respond while trying to ${action} the appointment; try again later`);
    case 'refuse':
      throw action === 'book'
        ? unprocessable('UNABLE_TO_CONFIRM_APPOINTMENT', `The PAS of service ${service.id} could not confirm the appointment: the slot is no longer available there`)
        : unprocessable('UNABLE_TO_CANCEL_APPOINTMENT', `The PAS of service ${service.id} could not cancel the appointment`);
  }
}
