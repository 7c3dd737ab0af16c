export {
  EXPECTATION_TYPES,
  type Expectation,
  type ExpectationOf,
  type ExpectationType,
  type ScalarValue,
  SEVERITIES,
  type Severity,
  type Suite,
} from './suite/suite';
export { SuiteError, type SuiteProblem } from './suite/suite-error';
export { loadSuiteFile, loadSuites, parseDuration, parseSuite } from './suite/parse-suite';
export {
  compileExpectation,
  type CompileContext,
  type CompiledExpectation,
  type CompiledQuery,
} from './run/compile-expectation';
export {
  type ExpectationResult,
  type ExpectationStatus,
  isBlocking,
  type JsonValue,
  type SuiteResult,
} from './run/results';
export { DEFAULT_SAMPLE_ROWS, runSuite, type RunSuiteOptions } from './run/run-suite';
export {
  quoteIdentifier,
  resolveTable,
  type ResolvedTable,
  type TableRef,
  trustedTable,
  type TrustedTable,
} from './run/table-ref';
