// Money, times and ages in the associate's language.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Money } from "../gen/clickcollect/common/v1/money_pb";
import { locale, t } from "../i18n/lang";

const DIGITS: Record<string, number> = { JPY: 0, KRW: 0 };

export function money(value: Money | undefined): string {
  if (!value) return "";
  const digits = DIGITS[value.currencyCode] ?? 2;
  const amount = Number(value.amountMinor) / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency: value.currencyCode }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${value.currencyCode}`;
  }
}

export function dateOf(ts: Timestamp | undefined): Date | undefined {
  return ts && (ts.seconds > 0n || ts.nanos > 0) ? timestampDate(ts) : undefined;
}

/** "14:05" today, "3 Dec 14:05" another day. */
export function clock(ts: Timestamp | Date | undefined): string {
  const when = ts instanceof Date ? ts : dateOf(ts);
  if (!when) return "";
  const sameDay = when.toDateString() === new Date().toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: "2-digit", minute: "2-digit" }
    : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(locale(), options).format(when);
}

/** How long ago: "4 min", "2 h 5 min", "1 d 3 h". */
export function age(since: Date, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  const words = t().age;
  if (minutes < 60) return words.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return words.hours(hours, minutes % 60);
  return words.days(Math.floor(hours / 24), hours % 24);
}

/** An enum value's name without its prefix: ORDER_STATE_READY_FOR_PICKUP → READY_FOR_PICKUP. */
export function enumName(names: Record<number, string>, value: number, prefix: string): string {
  return (names[value] ?? "UNSPECIFIED").replace(prefix, "");
}
