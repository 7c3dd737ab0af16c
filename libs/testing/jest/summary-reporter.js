// One closing line that any CI log reader understands: "jest: N passed, N failed, N skipped".
// Suites that crashed before running a test (syntax error, failed setup) count as failures.
// Written to stderr, in order with jest's own summary, and to $TRIBUTARY_JEST_SUMMARY_FILE when
// set, so scripts/test-all.sh can repeat it as the very last line of the run.
const { writeFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    process.stderr.write(`\n${line}\n`);
    if (process.env.TRIBUTARY_JEST_SUMMARY_FILE) {
      writeFileSync(process.env.TRIBUTARY_JEST_SUMMARY_FILE, `${line}\n`);
    }
  }
}

module.exports = SummaryReporter;
