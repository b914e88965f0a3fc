// Boots the runtime as instrumentation.ts does, then exits 0 with "BOOTED" on stdout; a refused
// start exits non-zero from bootOrExit. For tests that check start-up in a child process:
//   node --conditions=react-server --import tsx test/boot-once.ts
import { bootOrExit } from '@/lib/server/boot';
import { shutdownRuntime } from '@/lib/server/runtime';

void (async () => {
  await bootOrExit();
  console.log('BOOTED');
  await shutdownRuntime();
  process.exit(0);
})();
