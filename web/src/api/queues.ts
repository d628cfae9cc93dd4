// The terminal's store queues (StoreOpsService.ListStoreOrders), every page of each, and the
// orders seen last, so a screen opened from a queue has its order at hand.
import { StoreQueue } from "../gen/clickcollect/gateway/v1/store_ops_pb";
import type { StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { storeOps } from "./clients";

const PAGE_SIZE = 200;
// A store's open queue is far shorter; the bound keeps one refresh short whatever happens.
const MAX_PAGES = 10;

export interface Queues {
  toPick: StoreOrder[];
  overdue: StoreOrder[];
  arriving: StoreOrder[];
  ready: StoreOrder[];
}

const seen = new Map<string, StoreOrder>();

export async function listQueue(queue: StoreQueue): Promise<StoreOrder[]> {
  const orders: StoreOrder[] = [];
  let pageToken = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await storeOps.listStoreOrders({ queue, pageSize: PAGE_SIZE, pageToken });
    orders.push(...answer.orders);
    pageToken = answer.nextPageToken;
    if (!pageToken) break;
  }
  orders.forEach(remember);
  return orders;
}

export async function loadQueues(): Promise<Queues> {
  const [toPick, overdue, arriving, ready] = await Promise.all([
    listQueue(StoreQueue.TO_PICK),
    listQueue(StoreQueue.OVERDUE),
    listQueue(StoreQueue.ARRIVING),
    listQueue(StoreQueue.READY),
  ]);
  return { toPick, overdue, arriving, ready };
}

export function remember(order: StoreOrder): void {
  seen.set(order.orderId, order);
}

/** The order as last seen, else as the store's queues show it now (undefined: in none). */
export async function findOrder(orderId: string): Promise<StoreOrder | undefined> {
  const known = seen.get(orderId);
  if (known) return known;
  await loadQueues();
  return seen.get(orderId);
}

/** The order as this terminal last saw it (a queue, a customer's history), if it did. */
export function rememberedOrder(orderId: string): StoreOrder | undefined {
  return seen.get(orderId);
}

/** The order as the store's queues show it now (fresh, not from memory). */
export async function freshOrder(orderId: string): Promise<StoreOrder | undefined> {
  seen.delete(orderId);
  return findOrder(orderId);
}
