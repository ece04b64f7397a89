import { Inject, Injectable } from '@nestjs/common';
import { PlanningCard, PlanningProject, planningInputOf, TEAM_STREAM_ID, TeamState } from '@scope-ledger/domain';
import { Platform, teamAsOf } from '@scope-ledger/platform';
import { PLATFORM } from '../platform.token';
import { ProjectReads } from '../projects/project-reads';

export interface CapacitySources {
  /** The moment planned from: now, or `asOf` unless that is still to come. */
  readonly now: string;
  readonly team: TeamState;
  readonly projects: readonly PlanningProject[];
  readonly cards: readonly PlanningCard[];
}

/**
 * What the capacity plan is computed from: now, the read tables (one query per table) and the team stream as
 * kept folded in memory; as of a past moment, every project's stream and the team's folded up to it.
 */
@Injectable()
export class CapacityReads {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly reads: ProjectReads,
  ) {}

  async sources(asOf?: string): Promise<CapacitySources> {
    const now = new Date().toISOString();
    if (asOf && Date.parse(asOf) < Date.parse(now)) {
      const [states, teamEvents] = await Promise.all([
        this.reads.statesAsOf(asOf),
        this.platform.store.readStream(TEAM_STREAM_ID),
      ]);
      const inputs = states.map(planningInputOf);
      return {
        now: asOf,
        team: teamAsOf(teamEvents, asOf),
        projects: inputs.map((i) => i.project),
        cards: inputs.flatMap((i) => i.cards),
      };
    }
    await this.reads.catchUp();
    const [{ state: team }, { projects, cards }] = await Promise.all([
      this.platform.team.load(),
      this.platform.readModel.capacityInput(),
    ]);
    return { now, team, projects, cards };
  }
}
