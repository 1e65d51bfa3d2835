// Importing a module k6 does not have fails at init, naming the supported ones.
import nope from 'k6/nope';

export default function () {
  nope();
}
