/// <reference types="@remix-run/node" />
/// <reference types="@remix-run/dev" />

import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** The client's IP address, from the server (server.js). */
    clientAddress?: string;
  }
}
