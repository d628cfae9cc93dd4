// An order's state as the associate reads it: its name, and while it waits for the customer's
// payment by a link, until when ("Awaiting payment · pay by 14:05").
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { OrderState } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { t } from "../i18n/lang";
import { h } from "./dom";
import { clock, dateOf } from "./format";

interface WithState {
  state: OrderState;
  paymentDueTime?: Timestamp;
}

/** "pay by 14:05" while the order awaits its payment and has a due time, else "". */
export function payBy(order: WithState): string {
  const due = order.state === OrderState.AWAITING_PAYMENT ? dateOf(order.paymentDueTime) : undefined;
  return due ? t().common.payBy(clock(due)) : "";
}

export function stateText(order: WithState): string {
  const name = t().state[OrderState[order.state]] ?? "";
  return [name, payBy(order)].filter(Boolean).join(" · ");
}

/** The state as a badge (marked for tests and styles by the state's name). */
export function stateBadge(order: WithState): HTMLElement {
  const awaiting = order.state === OrderState.AWAITING_PAYMENT;
  return h("span", { class: `badge${awaiting ? " badge-warn" : ""}`, "data-state": OrderState[order.state] }, stateText(order));
}
