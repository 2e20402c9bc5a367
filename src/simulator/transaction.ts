// All-or-nothing writes: while a write runs, every record it touches in a journaled map is copied once (on first
// get/set/delete, or on iteration); if the write fails, answers an error or overflows the store's limits, each
// touched record is put back as it was, so a failed create or update leaves no trace. Writes may await (PAS calls),
// so the journal of the running write is found through AsyncLocalStorage, not a global. Writes that overlap in time
// can touch one record: the first to touch it claims it, and a record another write touched meanwhile is not put
// back (that write may have committed a change to it; the referral lock keeps two writes off one referral).
import { AsyncLocalStorage } from 'node:async_hooks';

interface Before {
  had: boolean;
  value: unknown;
  /** another write touched the record while this one held it */
  contended: boolean;
}

interface Journal {
  /** per map: key -> the record before this write touched it */
  touched: Map<JournaledMap<unknown, unknown>, Map<unknown, Before>>;
}

const current = new AsyncLocalStorage<Journal>();

/** A Map whose records are journaled while a write transaction runs; outside one it is a plain Map. */
export class JournaledMap<K, V> extends Map<K, V> {
  /** which running write holds each record it touched */
  private readonly claims = new Map<K, Before>();
  private note(key: K): void {
    const journal = current.getStore();
    if (!journal) return;
    let mine = journal.touched.get(this as JournaledMap<unknown, unknown>);
    if (!mine) journal.touched.set(this as JournaledMap<unknown, unknown>, (mine = new Map()));
    if (mine.has(key)) return;
    const held = this.claims.get(key);
    if (held) {
      held.contended = true;
      return;
    }
    const had = super.has(key);
    const before: Before = { had, value: had ? snapshot(super.get(key)) : undefined, contended: false };
    mine.set(key, before);
    this.claims.set(key, before);
  }
  private noteAll(): void {
    if (!current.getStore()) return;
    for (const key of super.keys()) this.note(key);
  }
  override get(key: K): V | undefined {
    this.note(key);
    return super.get(key);
  }
  override set(key: K, value: V): this {
    this.note(key);
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.note(key);
    return super.delete(key);
  }
  override clear(): void {
    this.noteAll();
    super.clear();
  }
  // iteration hands out the records themselves, which a write may then change in place
  override values(): MapIterator<V> {
    this.noteAll();
    return super.values();
  }
  override entries(): MapIterator<[K, V]> {
    this.noteAll();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    this.noteAll();
    return super.entries();
  }
  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.noteAll();
    super.forEach(fn, thisArg);
  }
  /** ends this write's hold on a record, putting it back first when asked (bypasses the journal) */
  release(key: K, before: Before, restore: boolean): void {
    if (this.claims.get(key) === before) this.claims.delete(key);
    if (!restore || before.contended) return;
    if (before.had) super.set(key, before.value as V);
    else super.delete(key);
  }
}

/**
 * Runs a write. `keep(result)` decides whether it stands (a success answer within the limits); when it does not,
 * or the write throws, every journaled record it touched is restored. Nested calls join the outer write.
 */
export async function inTransaction<T>(write: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
  if (current.getStore()) return write();
  const journal: Journal = { touched: new Map() };
  let result: T;
  try {
    result = await current.run(journal, write);
  } catch (err) {
    finish(journal, true);
    throw err;
  }
  finish(journal, !keep(result));
  return result;
}

function finish(journal: Journal, rollback: boolean): void {
  for (const [map, records] of journal.touched) {
    for (const [key, before] of records) map.release(key, before, rollback);
  }
}

/** A deep copy of a stored record; Buffers (file contents) are never changed in place, so they are shared. */
function snapshot(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map(snapshot);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, snapshot(v)]));
  if (value instanceof Set) return new Set([...value].map(snapshot));
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = snapshot(v);
  return out;
}
