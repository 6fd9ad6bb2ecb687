// Loopback helpers shared by the dyno bench and the image-steps check (plain .mjs, run without a build).
import { connect, createServer } from 'node:net';

/** A port nothing listens on right now, as Heroku would hand a dyno in $PORT. */
export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Whether something accepts TCP connections on the port (the R10 boot check). */
export const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
