import { createMemoryStore } from './memory-store.js';
import { testStateStore } from './testing.js';

testStateStore('memory', async () => {
  const store = createMemoryStore();
  return { open: () => store };
});
