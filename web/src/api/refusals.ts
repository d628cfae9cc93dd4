// A failed call as the app understands it: the gRPC code, the ErrorInfo reason and metadata,
// and the BadRequest field violations, decoded from grpc-status-details-bin (google.rpc.Status).
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../gen/google/rpc/error_details_pb";

export interface FieldProblem {
  field: string;
  description: string;
}

export interface Refusal {
  code: Code;
  reason: string;
  metadata: Record<string, string>;
  fields: FieldProblem[];
}

export function refusalOf(error: unknown): Refusal {
  const failed = ConnectError.from(error);
  const info = failed.findDetails(ErrorInfoSchema)[0];
  const fields = failed
    .findDetails(BadRequestSchema)
    .flatMap((bad) => bad.fieldViolations)
    .map((v) => ({ field: v.field, description: v.description }));
  return {
    code: failed.code,
    reason: info?.reason ?? "",
    metadata: { ...(info?.metadata ?? {}) },
    fields,
  };
}

/** The token was refused: the terminal must sign in again. */
export function isSignedOut(refusal: Refusal): boolean {
  return (
    refusal.code === Code.Unauthenticated ||
    (refusal.code === Code.PermissionDenied && refusal.reason === "ROLE_NOT_ALLOWED")
  );
}

/** Sending the same request again may succeed (the network, a busy or restarting server). */
export function isTransient(refusal: Refusal): boolean {
  return [Code.Unavailable, Code.DeadlineExceeded, Code.Unknown, Code.Aborted, Code.Canceled].includes(
    refusal.code,
  ) || refusal.reason === "COMMAND_PENDING";
}
