import { defineConfig } from 'vitest/config';
import SummaryReporter from './tools/summary-reporter.ts';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: ['default', new SummaryReporter()],
  },
});
