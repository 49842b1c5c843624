// The Content-Security-Policy nonce of the page being rendered, for Remix's inline scripts.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
