// A target that answers every request after exactly DELAY ms (for the accuracy benchmark).
import { createServer } from 'node:http';

const [port = '8081', delay = '50'] = process.argv.slice(2);
const server = createServer((req, res) => {
  req.resume();
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  }, Number(delay));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
