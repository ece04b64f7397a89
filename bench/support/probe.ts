import { dropEverything } from './databases';

/** Runs a probe's main: on failure it prints the error, drops the schemas it made and exits 1. */
export function runProbe(main: () => Promise<void>): void {
  main().catch(async (error: Error) => {
    console.error(error);
    await dropEverything();
    process.exit(1);
  });
}
