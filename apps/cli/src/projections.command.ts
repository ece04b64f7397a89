import { Command } from 'commander';
import { countEvents, Platform } from '@scope-ledger/platform';
import { CliContext, print, withPlatform } from './cli-context';
import { noProgress, ProgressReporter } from './output';

export interface RebuildOutcome {
  events: number;
  milliseconds: number;
  eventsPerSecond: number;
}

/** Empties the read models and replays every event into them (the catalogue's only move the checkpoint). */
export async function rebuildProjections(
  platform: Platform,
  progress: ProgressReporter = noProgress,
): Promise<RebuildOutcome> {
  progress.start(await countEvents(platform));
  const started = Date.now();
  try {
    const events = await platform.processor.rebuild(({ processed }) => progress.update(processed));
    const milliseconds = Date.now() - started;
    const eventsPerSecond = milliseconds > 0 ? Math.round((events * 1000) / milliseconds) : events;
    return { events, milliseconds, eventsPerSecond };
  } finally {
    progress.stop();
  }
}

export function registerProjectionsCommands(program: Command, cli: CliContext): void {
  const projections = program
    .command('projections')
    .description('read models (project views, portfolio, finance ledger)');

  projections
    .command('rebuild')
    .description('rebuild every read model from the event store')
    .action(async () => {
      const outcome = await withPlatform(cli, (platform) => rebuildProjections(platform, cli.progress('Rebuilding')));
      print(
        cli.stdout,
        `Rebuilt the read models from ${outcome.events} events in ${(outcome.milliseconds / 1000).toFixed(1)} s ` +
          `(${outcome.eventsPerSecond} events/s).`,
      );
    });
}
