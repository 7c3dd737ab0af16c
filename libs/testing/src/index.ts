export { localServices, type LocalServices } from './local-services';
export { uniqueName } from './names';
export { itAnswersLiveness, startTestApp, type TestApp } from './nest';
export { createTestDatabase, type TestDatabase } from './postgres';
export { tempDir, type TempDir } from './temp-dir';
export { waitFor, type WaitOptions } from './wait-for';
