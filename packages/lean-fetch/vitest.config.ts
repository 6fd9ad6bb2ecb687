import { defineProject, mergeConfig } from 'vitest/config';
import { sharedVitest } from '../../vitest.shared.ts';

export default mergeConfig(sharedVitest, defineProject({ test: { name: 'lean-fetch' } }));
