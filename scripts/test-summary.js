#!/usr/bin/env node
// Prints jest's totals as one plain closing line ("jest: N passed, N failed, N skipped") from the
// JSON report, so CI logs end with a count that any reader (or tool) can find.
const { readFileSync } = require('node:fs');

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`jest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numTotalTests === 0) {
  console.error('jest ran no test');
  process.exit(1);
}
