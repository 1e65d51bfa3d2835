// Importing a module k6 does not have fails before the init code runs, naming all such modules (k6 js/modules/resolution.go).
import nope from 'k6/nope';

export default function () {
  nope();
}
