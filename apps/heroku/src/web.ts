import { createServer } from 'node:http';

// Placeholder web process: binds $PORT at once so Heroku's R10 boot check passes.
const port = Number(process.env.PORT ?? 5000);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('news2kindle\n');
}).listen(port, '0.0.0.0');
