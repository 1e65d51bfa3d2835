// A connect() that fails with nobody catching it: the iteration fails with the rejection.
import { Socket } from 'k6/x/tcp';

export const options = { iterations: 1 };

export default async function () {
  const socket = new Socket();
  await socket.connect(Number(__ENV.CLOSED_PORT), '127.0.0.1');
}
