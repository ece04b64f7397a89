import type { ChangeOrderDocumentModel, SignatureRecord } from '../change-order-document.model';

type Line = ChangeOrderDocumentModel['lines'][number];

const ENGINEER = 15_000; // USD 150.00 per hour
const ARCHITECT = 19_500; // USD 195.00
const TECHNICIAN = 9_550; // USD 95.50
const PROJECT_MANAGER = 12_000; // USD 120.00

export const LONG_TITLE =
  'Re-permission every departmental SharePoint site after the merger, including the finance, legal and HR ' +
  'archives that still inherit from the retired intranet, and document each broken inheritance for the ' +
  'client’s auditors so that the evidence pack for the annual review is complete before the fiscal year closes';

function line(
  changeRequestNumber: string,
  op: Line['op'],
  ref: string,
  title: string,
  role: string,
  centiHours: number,
  rate: number,
  amount: number,
  extra: Partial<Line> = {},
): Line {
  return {
    changeRequestNumber,
    op,
    ref,
    title,
    role,
    centiHours,
    rate,
    fixedCost: 0,
    amount,
    noCharge: false,
    ...extra,
  };
}

/**
 * Twenty lines whose amounts were worked out by hand (hours x rate + fixed cost, half up):
 * chargeable total USD 11,402.38, absorbed USD 443.25, net hours 79.50.
 */
export function twentyLineOrder(): ChangeOrderDocumentModel {
  return {
    msp: { name: 'Northwind Managed IT', email: 'projects@northwind-it.example' },
    client: { name: 'Contoso Dental Group', email: 'it@contoso-dental.example' },
    project: { id: '0b9f7f3e-0f5c-4a59-9d52-6a1f1f0c2a11', name: 'Microsoft 365 migration', currency: 'USD' },
    order: {
      id: '6f1c2b9a-3d4e-4f50-8a61-7b8c9d0e1f23',
      number: 'CO-3',
      issuedAt: '2026-03-06T10:30:00.000Z',
      expiresAt: '2026-03-20T10:30:00.000Z',
      terms: 'Work starts within five working days of signature.\nInvoiced monthly in arrears, net 30.',
      signer: { name: 'Priya Raman', email: 'priya.raman@contoso-dental.example' },
    },
    requests: [
      {
        number: 'CR-2',
        title: 'Add Intune device compliance',
        source: 'email',
        requestedBy: 'Dana Whitfield',
        receivedAt: '2026-03-02T09:14:00.000Z',
        noCharge: false,
      },
      {
        number: 'CR-3',
        title: 'Extend backup to the new branch office',
        source: 'phone',
        requestedBy: 'Luis Ortega',
        receivedAt: '2026-03-04T15:40:00.000Z',
        noCharge: false,
      },
      {
        number: 'CR-5',
        title: 'Printer driver clean-up',
        source: 'ticket',
        requestedBy: 'Dana Whitfield',
        receivedAt: '2026-03-05T08:05:00.000Z',
        noCharge: true,
      },
    ],
    lines: [
      line(
        'CR-2',
        'add',
        'SI-10',
        'Configure Intune compliance policies for 140 devices',
        'Engineer',
        1250,
        ENGINEER,
        187_500,
      ),
      line('CR-2', 'add', 'SI-11', 'Conditional access baseline', 'Architect', 600, ARCHITECT, 117_000),
      line(
        'CR-2',
        'modify',
        'SI-3',
        'Mailbox migration batch 2 (40 more shared mailboxes)',
        'Technician',
        825,
        TECHNICIAN,
        78_788,
      ),
      line('CR-2', 'add', 'SI-12', 'Backup agent licences', 'Engineer', 100, ENGINEER, 65_000, { fixedCost: 50_000 }),
      line('CR-2', 'remove', 'SI-7', 'On-premises print server decommission', 'Technician', -400, TECHNICIAN, -38_200),
      line('CR-3', 'add', 'SI-13', 'Branch office backup appliance install', 'Engineer', 350, ENGINEER, 52_500),
      line('CR-3', 'add', 'SI-14', 'Backup job schedule and retention', 'Engineer', 225, ENGINEER, 33_750),
      line('CR-3', 'add', 'SI-15', 'Recovery point objective review', 'Architect', 150, ARCHITECT, 29_250),
      line('CR-3', 'add', 'SI-16', 'Seed initial backup over the WAN', 'Technician', 1000, TECHNICIAN, 95_500),
      line('CR-3', 'modify', 'SI-4', 'Firewall rules for the backup traffic', 'Engineer', 75, ENGINEER, 11_250),
      line(
        'CR-3',
        'add',
        'SI-17',
        'Coordinate branch cut-over window',
        'Project manager',
        400,
        PROJECT_MANAGER,
        48_000,
      ),
      line('CR-3', 'add', 'SI-18', 'Label and document branch rack', 'Technician', 250, TECHNICIAN, 23_875),
      line('CR-3', 'add', 'SI-19', 'Restore test of every branch server', 'Engineer', 1600, ENGINEER, 240_000),
      line('CR-3', 'add', 'SI-20', 'Disaster recovery runbook update', 'Architect', 300, ARCHITECT, 58_500),
      line('CR-3', 'add', 'SI-21', 'Backup alert e-mail routing', 'Technician', 50, TECHNICIAN, 4_775),
      line('CR-3', 'add', 'SI-22', 'Backup monitoring dashboard', 'Engineer', 500, ENGINEER, 75_000),
      line('CR-3', 'modify', 'SI-5', 'Network design document revision', 'Architect', 200, ARCHITECT, 39_000),
      line('CR-5', 'add', 'SI-23', 'Remove stale printer drivers', 'Engineer', 200, ENGINEER, 0, { noCharge: true }),
      line('CR-5', 'add', 'SI-24', 'Push the new printer driver package', 'Technician', 150, TECHNICIAN, 0, {
        noCharge: true,
      }),
      line('CR-3', 'add', 'SI-25', LONG_TITLE, 'Engineer', 125, ENGINEER, 18_750),
    ],
    schedule: [
      {
        milestone: 'M2',
        name: 'Pilot group migrated',
        workingDays: 3,
        baselineDue: '2026-04-10',
        dueBefore: '2026-04-10',
        newDue: '2026-04-15',
      },
      // An order signed before this one moved M3 and M4 by a working day.
      {
        milestone: 'M3',
        name: 'All users migrated',
        workingDays: 3,
        baselineDue: '2026-05-08',
        dueBefore: '2026-05-11',
        newDue: '2026-05-14',
      },
      {
        milestone: 'M4',
        name: 'Handover',
        workingDays: 3,
        baselineDue: '2026-05-29',
        dueBefore: '2026-06-01',
        newDue: '2026-06-04',
      },
    ],
    price: {
      originalContract: 4_825_000,
      previouslyApproved: 312_550,
      contractBefore: 5_137_550,
      thisOrder: 1_140_238,
      newContractTotal: 6_277_788,
      absorbed: 44_325,
    },
  };
}

export function signatureFor(
  model: ChangeOrderDocumentModel,
  documentSha256: string,
  drawnSignaturePng?: Buffer,
): SignatureRecord {
  return {
    signerName: model.order.signer.name,
    signerEmail: model.order.signer.email,
    signedAt: '2026-03-09T16:45:12.000Z',
    ip: '203.0.113.57',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    consentVersion: 'esign-consent-2026-01',
    documentSha256,
    sentAt: '2026-03-06T10:30:02.000Z',
    viewedAt: '2026-03-09T16:41:55.000Z',
    streamHeadHash: '9c1e4d2b7a5f3e8d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d',
    ...(drawnSignaturePng ? { drawnSignaturePng } : {}),
  };
}
