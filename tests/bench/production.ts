// Imported first by the bench scripts that render pages: the built app renders with React's
// production build, as under `npm start` (server.js sets the same default), not the development
// build, which checks and warns as it goes and takes several times as long.
process.env.NODE_ENV ??= "production";
