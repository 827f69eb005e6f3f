// Kept in step with package.json by test/version.test.ts.
export const version = '0.1.0';
