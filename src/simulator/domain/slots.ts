// Deterministic appointment slots for directly bookable services (A015 reads them, A016 books them).
import type { Service } from '../seed/types.ts';
import type { StoredSlot } from '../store.ts';

/** Working days ahead that slots are generated for. */
export const SLOT_DAYS = 10;
export const DEFAULT_SLOTS_PER_DAY = 4;
const SLOT_MINUTES = 30;

/**
 * Slot ids are the service id + a 5-digit sequence ('4010100001'); slot n of a day starts at 09:00 + n x 30 min UTC.
 * A service with named clinicians alternates: odd sequences are clinician slots (first clinician), even ones are not.
 */
export function generateSlots(services: Service[], now: Date): Map<string, StoredSlot> {
  const slots = new Map<string, StoredSlot>();
  for (const service of services) {
    if (service.bookableType !== 'DIRECTLY_BOOKABLE') continue;
    const perDay = service.slotsPerDay ?? DEFAULT_SLOTS_PER_DAY;
    let seq = 0;
    for (const day of workingDaysAfter(now, SLOT_DAYS)) {
      for (let i = 0; i < perDay; i++) {
        seq += 1;
        const start = new Date(day);
        start.setUTCHours(9, 0, 0, 0);
        start.setUTCMinutes(i * SLOT_MINUTES);
        const id = `${service.id}${String(seq).padStart(5, '0')}`;
        const clinician = seq % 2 === 1 ? service.clinicians[0] : undefined;
        slots.set(id, {
          id, service: service.id, start: start.toISOString(), end: new Date(start.getTime() + SLOT_MINUTES * 60_000).toISOString(),
          ...(clinician ? { clinician } : {}), status: 'free',
        });
      }
    }
  }
  return slots;
}

function workingDaysAfter(now: Date, count: number): Date[] {
  const days: Date[] = [];
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  while (days.length < count) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(new Date(d));
  }
  return days;
}

/** Free slots of a service, earliest first, optionally only a named clinician's. */
export function freeSlots(slots: Map<string, StoredSlot>, serviceId: string, clinician?: string): StoredSlot[] {
  return [...slots.values()]
    .filter((s) => s.service === serviceId && s.status === 'free' && (clinician === undefined || s.clinician === clinician))
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
}
