// Stampede's feature-tour script for console: each method's log level, several arguments joined by
// spaces; debug is only shown with --verbose. Run by test/engine-compat-examples.test.ts.
export default function () {
  const where = ['gate', 7];
  console.log('plain', ...where);
  console.debug('quiet', ...where);
  console.info('notice', ...where);
  console.warn('careful', ...where);
  console.error('broken', ...where);
}
