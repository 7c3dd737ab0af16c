// One closing line that any CI log reader understands: "jest: N passed, N failed, N skipped".
// Suites that crashed before running a test (syntax error, failed setup) count as failures.
// Written to stderr, in order with jest's own summary; when $TRIBUTARY_JEST_SUMMARY_FILE is set,
// the counts are also appended there, so scripts/test-all.sh can add up its jest runs and print
// the total as the very last line.
const { appendFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    process.stderr.write(`\n${line}\n`);
    if (process.env.TRIBUTARY_JEST_SUMMARY_FILE) {
      appendFileSync(
        process.env.TRIBUTARY_JEST_SUMMARY_FILE,
        `${results.numPassedTests} ${failed} ${skipped}\n`,
      );
    }
  }
}

module.exports = SummaryReporter;
