// React ships the Web Streams renderer as its own entry point, which @types/react-dom types only
// under "react-dom/server"; this names the entry point the server imports.
declare module "react-dom/server.browser" {
  export { renderToReadableStream } from "react-dom/server";
}
