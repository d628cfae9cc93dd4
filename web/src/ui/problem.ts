// A refusal as one or two sentences the associate understands, in the current language:
// never a status code or a stack trace.
import { Code } from "@connectrpc/connect";
import type { Refusal } from "../api/refusals";
import { reasonSentence } from "../i18n/reasons";
import { lang, t } from "../i18n/lang";

export function problemSentence(refusal: Refusal): string {
  const known = reasonSentence(refusal.reason, refusal.metadata, lang());
  if (known) return known;
  if (refusal.fields.length) return `${t().problem.fields} ${fieldList(refusal)}.`;
  return byCode(refusal.code);
}

function byCode(code: Code): string {
  const p = t().problem;
  switch (code) {
    case Code.Unavailable:
    case Code.Unknown:
    case Code.Canceled:
      return p.offline;
    case Code.DeadlineExceeded:
    case Code.ResourceExhausted:
    case Code.Aborted:
      return p.busy;
    case Code.PermissionDenied:
      return p.notAllowed;
    case Code.NotFound:
      return p.notFound;
    case Code.FailedPrecondition:
    case Code.AlreadyExists:
      return p.notNow;
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return p.invalid;
    default:
      return p.unknown;
  }
}

/** "the pickup code (6 digits); the quantity (line 2)": each field named once, in words. */
function fieldList(refusal: Refusal): string {
  const names = new Set<string>();
  for (const problem of refusal.fields) {
    if (!problem.field) continue;
    names.add(fieldName(problem.field));
  }
  return [...names].join("; ");
}

function fieldName(path: string): string {
  const labels = t().field;
  const parts = path.split(".");
  const last = parts[parts.length - 1].replace(/\[\d+\]$/, "");
  const index = /\[(\d+)\]/.exec(path);
  const label = labels[last] ?? labels[parts[0].replace(/\[\d+\]$/, "")] ?? t().problem.invalid;
  return index ? `${label} (${t().common.sku} ${Number(index[1]) + 1})` : label;
}
