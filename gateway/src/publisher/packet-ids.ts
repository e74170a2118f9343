// Packet identifiers on one connection, split in two ranges: the outbox rows' PUBLISH packets,
// which the publisher writes itself, take 1..ROW_IDS; the mqtt client's own packets (the status
// topic, the last will's "online") take the ids above, through its messageIdProvider option, so
// the two never hand out the same identifier.
import type { IClientOptions } from "mqtt";

type IMessageIdProvider = NonNullable<IClientOptions["messageIdProvider"]>;

/** Identifiers for outbox rows; the window is capped at this. */
export const ROW_IDS = 65_519;

/** The mqtt client's identifiers: ROW_IDS + 1 .. 65535 (it has a packet or two in flight). */
export class ClientPacketIds implements IMessageIdProvider {
  private readonly used = new Set<number>();
  private last: number | null = null;
  private next = ROW_IDS + 1;

  allocate(): number | null {
    for (let n = 0; n <= 65_535 - ROW_IDS; n++) {
      const id = this.next;
      this.next = id === 65_535 ? ROW_IDS + 1 : id + 1;
      if (!this.used.has(id)) {
        this.used.add(id);
        this.last = id;
        return id;
      }
    }
    return null;
  }
  getLastAllocated(): number | null {
    return this.last;
  }
  register(id: number): boolean {
    if (id <= ROW_IDS || this.used.has(id)) return false;
    this.used.add(id);
    return true;
  }
  deallocate(id: number): void {
    this.used.delete(id);
  }
  clear(): void {
    this.used.clear();
  }
}

/** Row identifiers, in turn, skipping any still waiting for its PUBACK. */
export class RowPacketIds {
  private next = 1;
  constructor(private readonly busy: (id: number) => boolean) {}

  allocate(): number {
    for (let n = 0; n < ROW_IDS; n++) {
      const id = this.next;
      this.next = id === ROW_IDS ? 1 : id + 1;
      if (!this.busy(id)) return id;
    }
    throw new Error("every packet identifier is waiting for a PUBACK");
  }
}
