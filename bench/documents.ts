import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeOrderDocumentModel,
  loadSealCertificate,
  renderChangeOrderPdf,
  renderSignedChangeOrderPdf,
  sealPdf,
  sha256Hex,
  SignatureRecord,
} from '@scope-ledger/documents';
import {
  decide,
  foldEvents,
  initialProjectState,
  issueFigures,
  ProjectCommand,
  ProjectState,
} from '@scope-ledger/domain';
import { changeOrderDocumentModel } from '../apps/server/src/change-orders/change-order-document';
import { BenchConfig } from './config';
import { progress } from './support/progress';
import { median, nowMs, percentile } from './support/stats';

/**
 * The documents a change order needs: render and hash a 20-line order (what issuing does),
 * and seal the signed copy (what signing does after rendering it).
 */
export interface DocumentsResult {
  readonly runs: number;
  readonly lines: number;
  readonly pages: number;
  readonly renderAndHash: { medianMs: number; p90Ms: number; bytes: number };
  readonly renderSigned: { medianMs: number; p90Ms: number };
  readonly seal: { medianMs: number; p90Ms: number; bytes: number };
}

/** A 20-line order built by the domain from two assessed requests, as the server builds it. */
export function twentyLineOrderModel(): ChangeOrderDocumentModel {
  let state: ProjectState = initialProjectState;
  const now = '2026-03-06T10:30:00.000Z';
  const run = (command: ProjectCommand) => {
    state = foldEvents(decide(command, state), state);
  };
  const projectId = randomUUID();
  run({
    type: 'OpenProject',
    now,
    projectId,
    name: 'Microsoft 365 migration',
    client: { name: 'Contoso Dental Group', email: 'it@contoso-dental.example' },
    currency: 'USD',
    rates: { engineer: 15_000, technician: 9_550, architect: 19_500, project_manager: 12_000 },
    startDate: '2026-03-02',
    holidays: ['2026-04-03'],
  });
  run({
    type: 'EstablishBaseline',
    now,
    items: Array.from({ length: 8 }, (_, i) => ({
      ref: `SI-${i + 1}`,
      title: `Baseline work package ${i + 1}`,
      role: i % 2 ? 'engineer' : 'technician',
      hours: 8 + i * 2.5,
    })),
    milestones: [
      { ref: 'M1', name: 'Pilot group migrated', due: '2026-03-20' },
      { ref: 'M2', name: 'All users migrated', due: '2026-04-17' },
      { ref: 'M3', name: 'Handover', due: '2026-05-08' },
    ],
  });
  const requests = [randomUUID(), randomUUID()];
  requests.forEach((changeRequestId, r) =>
    run({
      type: 'LogChangeRequest',
      now,
      changeRequestId,
      title: r ? 'Extend backup to the new branch office' : 'Add Intune device compliance',
      description: 'Asked for during the weekly call.',
      source: r ? 'phone' : 'email',
      requestedBy: { name: 'Dana Whitfield', email: 'dana.whitfield@contoso-dental.example' },
    }),
  );
  run({
    type: 'AssessChangeRequest',
    now,
    changeRequestId: requests[0],
    noCharge: false,
    schedule: [{ milestone: 'M2', workingDays: 3 }],
    lines: [
      ...Array.from({ length: 10 }, (_, i) => ({
        op: 'add' as const,
        ref: `SI-${20 + i}`,
        title: `Configure Intune compliance policy set ${i + 1} for 140 devices`,
        role: 'engineer',
        hours: 1.25 + i,
      })),
      { op: 'modify' as const, ref: 'SI-3', hours: 20.25 },
      { op: 'modify' as const, ref: 'SI-4', title: 'Baseline work package 4, extended to the branch office' },
    ],
  });
  run({
    type: 'AssessChangeRequest',
    now,
    changeRequestId: requests[1],
    noCharge: false,
    schedule: [],
    lines: [
      ...Array.from({ length: 7 }, (_, i) => ({
        op: 'add' as const,
        ref: `SI-${40 + i}`,
        title: `Branch office backup task ${i + 1}`,
        role: i % 2 ? 'architect' : 'technician',
        hours: 2 + i / 2,
        fixedCost: i === 0 ? 50_000 : undefined,
      })),
      { op: 'remove' as const, ref: 'SI-7' },
    ],
  });
  const changeOrderId = randomUUID();
  run({
    type: 'DraftChangeOrder',
    now,
    changeOrderId,
    changeRequestIds: requests,
    signer: { name: 'Priya Raman', email: 'priya.raman@contoso-dental.example' },
    expiresInDays: 14,
    terms: 'Work starts within five working days of signature.\nInvoiced monthly in arrears, net 30.',
  });
  const order = state.changeOrders.get(changeOrderId)!;
  return changeOrderDocumentModel(state, order, issueFigures(state, order, now), {
    name: 'Northwind Managed IT',
    email: 'projects@northwind-it.example',
  });
}

async function time<T>(runs: number, work: () => Promise<T>): Promise<{ samples: number[]; last: T }> {
  await work(); // warm-up: fonts, code paths
  const samples: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const started = nowMs();
    last = await work();
    samples.push(nowMs() - started);
  }
  return { samples, last };
}

export async function documentsBenchmark(config: BenchConfig): Promise<DocumentsResult> {
  progress('Documents: render and hash a 20-line order, seal the signed copy');
  const model = twentyLineOrderModel();
  const rendered = await time(config.documentRuns, async () => {
    const pdf = await renderChangeOrderPdf(model);
    return { pdf, sha: sha256Hex(pdf) };
  });
  const signature: SignatureRecord = {
    signerName: 'Priya Raman',
    signerEmail: 'priya.raman@contoso-dental.example',
    signedAt: '2026-03-09T16:45:12.000Z',
    ip: '203.0.113.57',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    consentVersion: 'esign-consent-2026-01',
    documentSha256: rendered.last.sha,
    sentAt: '2026-03-06T10:30:02.000Z',
    viewedAt: '2026-03-09T16:41:55.000Z',
  };
  const signed = await time(config.documentRuns, () => renderSignedChangeOrderPdf(model, signature));
  const dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-bench-seal-'));
  try {
    const certificate = await loadSealCertificate({ dataDir });
    const sealedAt = new Date(signature.signedAt);
    const sealed = await time(config.documentRuns, () =>
      sealPdf(signed.last, certificate, { sealedAt, reason: `Signed ${model.order.number}` }),
    );
    const pages = (rendered.last.pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    const result: DocumentsResult = {
      runs: config.documentRuns,
      lines: model.lines.length,
      pages,
      renderAndHash: {
        medianMs: median(rendered.samples),
        p90Ms: percentile(rendered.samples, 90),
        bytes: rendered.last.pdf.length,
      },
      renderSigned: { medianMs: median(signed.samples), p90Ms: percentile(signed.samples, 90) },
      seal: { medianMs: median(sealed.samples), p90Ms: percentile(sealed.samples, 90), bytes: sealed.last.pdf.length },
    };
    progress(
      `  render+hash ${result.renderAndHash.medianMs.toFixed(1)} ms, ` +
        `render signed ${result.renderSigned.medianMs.toFixed(1)} ms, seal ${result.seal.medianMs.toFixed(1)} ms ` +
        `(medians of ${config.documentRuns})`,
    );
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
