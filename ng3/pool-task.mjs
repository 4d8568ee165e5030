// Worker entry for the NG3 pool. Workers inherit the parent's execArgv, so under ava (--import=tsx)
// or `tsx script.ts` the .ts task imports natively; when the parent registered tsx some other way (or
// not at all) we load it through tsx's scoped API instead.
let mod;
try {
  mod = await import('./pool-task.ts');
} catch (err) {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport('./pool-task.ts', import.meta.url);
}
export default mod.default;
