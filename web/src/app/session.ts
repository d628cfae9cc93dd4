// The terminal's sign-in: its token, kept in this tab's sessionStorage when pasted, on the
// device (localStorage) when the device was paired by a one-time code, and what the token says
// about the terminal (read, not verified: the gateway verifies every call).

const KEY = "storeapp.token";
const PAIRED_KEY = "storeapp.paired-token";

export interface Terminal {
  subject: string;
  storeId: string;
  role: string;
  expiresAt: Date | undefined;
}

export function token(): string {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(PAIRED_KEY) ?? "";
}

export function signIn(value: string): void {
  sessionStorage.setItem(KEY, value);
}

/** A paired device's token: kept on the device until it expires or is refused. */
export function signInPaired(value: string): void {
  sessionStorage.removeItem(KEY);
  localStorage.setItem(PAIRED_KEY, value);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(PAIRED_KEY);
}

/** The token's claims, or undefined for something that is not a JWT. */
export function terminalOf(value: string): Terminal | undefined {
  const payload = value.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replaceAll("-", "+").replaceAll("_", "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const exp = typeof claims.exp === "number" ? new Date(claims.exp * 1000) : undefined;
    return {
      subject: String(claims.sub ?? ""),
      storeId: String(claims.store_id ?? ""),
      role: String(claims.role ?? ""),
      expiresAt: exp,
    };
  } catch {
    return undefined;
  }
}

/** Strips what a paste often brings along: spaces, line breaks, a "Bearer " prefix. */
export function cleanToken(pasted: string): string {
  return pasted.replace(/^\s*bearer\s+/i, "").replace(/\s+/g, "");
}
