import { ProjectCommand } from '@scope-ledger/domain';
import { CommandContext } from '@scope-ledger/platform';

/** Commands for specs that drive the command path directly, as a project manager would. */
export const pmContext: CommandContext = { actor: { kind: 'staff', id: 'pm-1', name: 'Priya (PM)' } };

export function openProject(projectId: string, now: string): ProjectCommand {
  return {
    type: 'OpenProject',
    now,
    projectId,
    name: 'Contoso dental: M365 migration',
    client: { name: 'Contoso Dental Group', email: 'it@contoso.example' },
    currency: 'USD',
    rates: { engineer: 15_000 },
    startDate: '2026-03-02',
    holidays: [],
  };
}

/** Change request number `n`, from the client's Dana Whitfield. */
export function logRequest(n: number, now: string): ProjectCommand {
  return {
    type: 'LogChangeRequest',
    now,
    changeRequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    title: `Request ${n}`,
    description: 'From the weekly call',
    source: 'email',
    requestedBy: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
  };
}
