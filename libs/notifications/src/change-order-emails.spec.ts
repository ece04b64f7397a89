import { event, foldEvents, ProjectEvent } from '@scope-ledger/domain';
import {
  consentWithdrawnManagerEmail,
  declinedManagerEmail,
  expiredManagerEmail,
  revisedSignLinkEmail,
  signedFinanceEmail,
  signedManagerEmail,
  signLinkEmail,
  viewedManagerEmail,
  voidedSignerEmail,
} from './change-order-emails';
import { escapeHtml, html } from './html';

const SCRIPT = '<script>alert(1)</script>';
const ORDER_ID = '3e8f9a0b-0001-4b2c-9d3e-000000000001';
const identity = { mspName: 'Northwind IT & Cloud', publicUrl: 'https://ledger.northwind.example' };
const manager = { name: 'Sam Okafor', email: 'sam@northwind.example' };

/** A project whose every user-typed field tries to inject markup. */
function projectWithHostileText(): ProjectEvent[] {
  const item = {
    ref: 'SI-4',
    title: SCRIPT,
    role: 'architect',
    centiHours: 600,
    fixedCost: 0,
    rate: 19_500,
    cost: 117_000,
  };
  return [
    event('ProjectOpened', {
      projectId: '0b9f7f3e-0f5c-4a59-9d52-6a1f1f0c2a11',
      name: `${SCRIPT} rollout`,
      client: { name: 'Contoso "Dental" <Group>', email: 'it@contoso.example' },
      manager,
      currency: 'USD',
      rates: { architect: 19_500 },
      startDate: '2026-03-02',
      holidays: [],
      openedAt: '2026-03-02T08:00:00.000Z',
    }),
    event('ChangeOrderDrafted', {
      changeOrderId: ORDER_ID,
      number: 1,
      changeRequestIds: [],
      signer: { name: `Priya ${SCRIPT}`, email: 'priya@contoso.example' },
      expiresInDays: 14,
      terms: 'Terms',
      lines: [
        {
          op: 'add',
          ref: 'SI-4',
          item,
          costDelta: 117_000,
          centiHoursDelta: 600,
          changeRequestId: 'cr',
          changeRequestNumber: 1,
          noCharge: false,
          amount: 117_000,
        },
      ],
      schedule: [],
      amount: 117_000,
      absorbed: 0,
      draftedAt: '2026-03-05T09:00:00.000Z',
    }),
    event('ChangeOrderIssued', {
      changeOrderId: ORDER_ID,
      documentSha256: 'a'.repeat(64),
      signingTokenSha256: 'b'.repeat(64),
      signingTokenNonce: 'nonce',
      issuedAt: '2026-03-06T10:30:00.000Z',
      expiresAt: '2026-03-20T10:30:00.000Z',
      originalContract: 749_500,
      previouslyApproved: 0,
    }),
  ];
}

const NEW_LINK = 'https://ledger.northwind.example/sign/NEW';

/** The figures the order was first issued with, which a revision replaces. */
function firstIssue() {
  return stateOf(projectWithHostileText()).order.issue!;
}

function stateOf(events: ProjectEvent[]) {
  const project = foldEvents(events);
  return { project, order: project.changeOrders.get(ORDER_ID)! };
}

describe('change-order emails', () => {
  it('escapes a title like <script>alert(1)</script> in the HTML and keeps it verbatim in the plain text', () => {
    const { project, order } = stateOf(projectWithHostileText());
    const mail = signLinkEmail(identity, project, order, 'https://ledger.northwind.example/sign/TOKEN');

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Contoso &quot;Dental&quot; &lt;Group&gt;');
    expect(mail.html).toContain('Northwind IT &amp; Cloud');
    expect(mail.text).toContain(`Add SI-4 ${SCRIPT}: USD 1,170.00`);
    expect(mail.subject).toBe(`Please sign change order CO-1 for ${SCRIPT} rollout`);
  });

  it('tells the signer the order, its amount, where to sign and when the link expires', () => {
    const { project, order } = stateOf(projectWithHostileText());
    const mail = signLinkEmail(identity, project, order, 'https://ledger.northwind.example/sign/TOKEN');

    expect(mail.to).toEqual({ name: `Priya ${SCRIPT}`, email: 'priya@contoso.example' });
    expect(mail.replyTo).toEqual(manager);
    expect(mail.text).toContain('Amount: USD 1,170.00');
    expect(mail.text).toContain('https://ledger.northwind.example/sign/TOKEN');
    expect(mail.text).toContain('expires at 2026-03-20 10:30:00 UTC');
    expect(mail.html).toContain('href="https://ledger.northwind.example/sign/TOKEN"');
  });

  it('tells the signer a revision replaces the order sent, with the new link and the old one no longer working', () => {
    const { project, order } = stateOf([
      ...projectWithHostileText(),
      event('ChangeOrderRevised', {
        changeOrderId: ORDER_ID,
        revision: 1,
        documentSha256: 'c'.repeat(64),
        signingTokenSha256: 'd'.repeat(64),
        signingTokenNonce: 'nonce-r1',
        issuedAt: '2026-03-09T10:00:00.000Z',
        expiresAt: '2026-03-23T10:00:00.000Z',
        originalContract: 749_500,
        previouslyApproved: -20_000,
        schedule: [],
      }),
    ]);
    const mail = revisedSignLinkEmail(identity, project, order, { url: NEW_LINK, replaced: firstIssue() });

    expect(mail.subject).toBe(`Revised change order CO-1 R1 for ${SCRIPT} rollout: please sign this one`);
    expect(mail.text).toContain('It replaces CO-1, whose totals or dates were out of date');
    expect(mail.text).toContain('The link sent for CO-1 no longer works');
    expect(mail.text).toContain('https://ledger.northwind.example/sign/NEW');
    expect(mail.text).toContain('expires at 2026-03-23 10:00:00 UTC');
  });

  it('says another signed order made the figures stale only when the revision moved them', () => {
    // The signer asked for paper and staff sent it again: the same contract, approved total and dates as first issued.
    const { project, order } = stateOf([
      ...projectWithHostileText(),
      event('ChangeOrderRevised', {
        changeOrderId: ORDER_ID,
        revision: 1,
        documentSha256: 'c'.repeat(64),
        signingTokenSha256: 'd'.repeat(64),
        signingTokenNonce: 'nonce-r1',
        issuedAt: '2026-03-09T10:00:00.000Z',
        expiresAt: '2026-03-23T10:00:00.000Z',
        originalContract: 749_500,
        previouslyApproved: 0,
      }),
    ]);
    const mail = revisedSignLinkEmail(identity, project, order, { url: NEW_LINK, replaced: firstIssue() });

    expect(mail.text).toContain('sends you a revised change order, CO-1 R1, for the project');
    expect(mail.text).toContain('It replaces CO-1.');
    expect(mail.text).not.toContain('out of date');
    expect(mail.text).not.toContain('another change order');
    expect(mail.text).toContain('The link sent for CO-1 no longer works; review and sign the revised order instead.');
  });

  it('escapes the reason a signer typed when declining', () => {
    const reason = '"><img src=x onerror=alert(1)> too expensive';
    const { project, order } = stateOf([
      ...projectWithHostileText(),
      event('ChangeOrderDeclined', {
        changeOrderId: ORDER_ID,
        reason,
        declinedAt: '2026-03-07T09:00:00.000Z',
        ip: '203.0.113.7',
        userAgent: 'test',
      }),
    ]);
    const mail = declinedManagerEmail(identity, project, order, manager);

    expect(mail.html).not.toMatch(/<img/);
    expect(mail.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; too expensive');
    expect(mail.text).toContain(`Reason given: ${reason}`);
    expect(mail.subject).toBe(`CO-1 for ${SCRIPT} rollout was declined`);
  });

  it('keeps a subject on one line whatever the project name holds', () => {
    const events = projectWithHostileText();
    const opened = events[0] as Extract<ProjectEvent, { type: 'ProjectOpened' }>;
    const { project, order } = stateOf([
      event('ProjectOpened', { ...opened.data, name: 'Line one\r\nBcc: victim@example.com' }),
      ...events.slice(1),
    ]);
    const mail = signLinkEmail(identity, project, order, 'https://x.example/sign/T');

    expect(mail.subject).toBe('Please sign change order CO-1 for Line one Bcc: victim@example.com');
  });
});

const PROJECT_ID = '0b9f7f3e-0f5c-4a59-9d52-6a1f1f0c2a11';
const STAFF_ORDER_URL = `https://ledger.northwind.example/app/projects/${PROJECT_ID}#order-CO-1`;

const revised = event('ChangeOrderRevised', {
  changeOrderId: ORDER_ID,
  revision: 1,
  documentSha256: 'c'.repeat(64),
  signingTokenSha256: 'd'.repeat(64),
  signingTokenNonce: 'nonce-r1',
  issuedAt: '2026-03-09T10:00:00.000Z',
  expiresAt: '2026-03-23T10:00:00.000Z',
  originalContract: 749_500,
  previouslyApproved: -20_000,
  schedule: [],
});
const viewed = event('ChangeOrderViewed', { changeOrderId: ORDER_ID, viewedAt: '2026-03-10T08:15:00.000Z' });
const signed = event('ChangeOrderSigned', {
  changeOrderId: ORDER_ID,
  signer: { name: 'Priya Raman', email: 'priya@contoso.example' },
  documentSha256: 'c'.repeat(64),
  signedDocumentSha256: 'e'.repeat(64),
  consentVersion: 'esign-consent-1',
  signature: 'typed',
  signedAt: '2026-03-10T09:00:00.000Z',
  ip: '203.0.113.7',
  userAgent: 'test',
});

describe('emails about what became of an order', () => {
  it("tells the manager the signer first opened the revised order, with a link to the order's row", () => {
    const { project, order } = stateOf([...projectWithHostileText(), revised, viewed]);
    const mail = viewedManagerEmail(identity, project, order, manager);

    expect(mail.to).toEqual(manager);
    expect(mail.subject).toBe(`CO-1 R1 for ${SCRIPT} rollout was opened by Priya ${SCRIPT}`);
    expect(mail.text).toContain(
      `Priya ${SCRIPT} opened change order CO-1 R1 for the project ${SCRIPT} rollout (Contoso "Dental" <Group>) ` +
        'at 2026-03-10 08:15:00 UTC, the first time since it was revised.',
    );
    expect(mail.text).toContain('It awaits signature until 2026-03-23 10:00:00 UTC.');
    expect(mail.text).toContain(`Open the order:\n${STAFF_ORDER_URL}`);
    expect(mail.html).toContain(`href="${STAFF_ORDER_URL}"`);
    expect(mail.html).not.toContain('<script>');
  });

  it('names the revision signed and links the manager to the order', () => {
    const { project, order } = stateOf([...projectWithHostileText(), revised, signed]);
    const mail = signedManagerEmail(identity, project, order, manager);

    expect(mail.subject).toBe(`CO-1 R1 for ${SCRIPT} rollout was signed`);
    expect(mail.text).toContain('Priya Raman signed change order CO-1 R1');
    expect(mail.text).toContain(STAFF_ORDER_URL);
  });

  it('names the revision declined and links the manager to the order', () => {
    const declined = event('ChangeOrderDeclined', {
      changeOrderId: ORDER_ID,
      reason: 'Too early',
      declinedAt: '2026-03-10T09:00:00.000Z',
      ip: '203.0.113.7',
      userAgent: 'test',
    });
    const { project, order } = stateOf([...projectWithHostileText(), revised, declined]);
    const mail = declinedManagerEmail(identity, project, order, manager);

    expect(mail.subject).toBe(`CO-1 R1 for ${SCRIPT} rollout was declined`);
    expect(mail.text).toContain(STAFF_ORDER_URL);
  });

  it('tells the manager the signer asked for paper: the link no longer signs, and what to do', () => {
    const withdrawn = event('SignerConsentWithdrawn', {
      changeOrderId: ORDER_ID,
      withdrawnAt: '2026-03-10T08:20:00.000Z',
      ip: '203.0.113.7',
      userAgent: 'test',
    });
    const { project, order } = stateOf([...projectWithHostileText(), revised, viewed, withdrawn]);
    const mail = consentWithdrawnManagerEmail(identity, project, order, manager);

    expect(mail.to).toEqual(manager);
    expect(mail.subject).toBe(`CO-1 R1 for ${SCRIPT} rollout: Priya ${SCRIPT} asked for a paper copy`);
    expect(mail.text).toContain(
      `Priya ${SCRIPT} withdrew consent to sign change order CO-1 R1 for the project ${SCRIPT} rollout ` +
        '(Contoso "Dental" <Group>) electronically at 2026-03-10 08:20:00 UTC, and asked for a paper copy to sign.',
    );
    expect(mail.text).toContain(
      'The link they hold no longer signs, and the order still awaits signature. Send them a paper copy to sign, ' +
        'or void the order; if they agree to sign online after all, revise it to send them a new link.',
    );
    expect(mail.text).toContain(`Open the order:\n${STAFF_ORDER_URL}`);
    expect(mail.html).toContain(`href="${STAFF_ORDER_URL}"`);
    expect(mail.html).not.toContain('<script>');
  });

  it('tells the manager an order expired unsigned, when, and that its requests are free again', () => {
    const expired = event('ChangeOrderExpired', { changeOrderId: ORDER_ID, expiredAt: '2026-03-20T10:30:00.000Z' });
    const { project, order } = stateOf([...projectWithHostileText(), expired]);
    const mail = expiredManagerEmail(identity, project, order, manager);

    expect(mail.to).toEqual(manager);
    expect(mail.subject).toBe(`CO-1 for ${SCRIPT} rollout expired unsigned`);
    expect(mail.text).toContain(
      `Change order CO-1 for the project ${SCRIPT} rollout (Contoso "Dental" <Group>) expired unsigned on ` +
        `2026-03-20 10:30:00 UTC: Priya ${SCRIPT} neither signed nor declined it.`,
    );
    expect(mail.text).toContain('Its change requests are free again');
    expect(mail.html).toContain(`href="${STAFF_ORDER_URL}"`);
    expect(mail.html).not.toContain('<script>');
  });

  it('tells the signer the MSP withdrew the order, why, and that the link no longer works', () => {
    const reason = 'Wrong <b>site</b> & price';
    const voided = event('ChangeOrderVoided', {
      changeOrderId: ORDER_ID,
      reason,
      voidedAt: '2026-03-08T12:00:00.000Z',
    });
    const { project, order } = stateOf([...projectWithHostileText(), voided]);
    const mail = voidedSignerEmail(identity, project, order);

    expect(mail.to).toEqual({ name: `Priya ${SCRIPT}`, email: 'priya@contoso.example' });
    expect(mail.replyTo).toEqual(manager);
    expect(mail.subject).toBe(`Change order CO-1 for ${SCRIPT} rollout was withdrawn`);
    expect(mail.text).toContain('was withdrawn by Northwind IT & Cloud at 2026-03-08 12:00:00 UTC.');
    expect(mail.text).toContain(`Reason given: ${reason}`);
    expect(mail.text).toContain('The signing link sent for it no longer works');
    expect(mail.text).not.toContain('/app/projects/');
    expect(mail.html).toContain('Reason given: Wrong &lt;b&gt;site&lt;/b&gt; &amp; price');
  });

  it("sends the client's finance contact the sealed document, replying to the manager", () => {
    const { project, order } = stateOf([...projectWithHostileText(), signed]);
    const financeContact = { name: 'Ravi <Accounts>', email: 'ap@contoso.example' };
    const documentUrl = 'https://ledger.northwind.example/sign/TOKEN/document.pdf';
    const mail = signedFinanceEmail(identity, project, order, { financeContact, documentUrl });

    expect(mail.to).toEqual(financeContact);
    expect(mail.replyTo).toEqual(manager);
    expect(mail.subject).toBe(`Signed change order CO-1 for ${SCRIPT} rollout`);
    expect(mail.text).toContain('Dear Ravi <Accounts>,');
    expect(mail.text).toContain('You receive a copy as the finance contact of Contoso "Dental" <Group>.');
    expect(mail.text).toContain(`Download the signed document:\n${documentUrl}`);
    expect(mail.text).toContain('Amount: USD 1,170.00');
    expect(mail.html).toContain('Dear Ravi &lt;Accounts&gt;,');
  });
});

describe('times and lines as the reader takes them', () => {
  const inAuckland = event('ProjectTimeZoneChanged', {
    timeZone: 'Pacific/Auckland',
    changedAt: '2026-03-05T08:00:00.000Z',
  });
  // 11:00 UTC on 20 December is midnight starting 21 December in Auckland (UTC+13 in summer).
  const reissued = event('ChangeOrderRevised', {
    ...revised.data,
    issuedAt: '2026-12-06T11:00:00.000Z',
    expiresAt: '2026-12-20T11:00:00.000Z',
  });

  it("states an Auckland project's expiry as the end of the day before that midnight, naming the zone", () => {
    const { project, order } = stateOf([...projectWithHostileText(), inAuckland, reissued]);
    const mail = revisedSignLinkEmail(identity, project, order, { url: NEW_LINK, replaced: firstIssue() });

    expect(mail.text).toContain('expires at the end of 2026-12-20, Pacific/Auckland time.');
    expect(mail.text).not.toContain('UTC');
  });

  it("states other moments in the project's zone, and an expiry that is not a midnight as it is", () => {
    // Viewed 08:15 UTC on 10 March is 21:15 in Auckland; the first expiry, 10:30 UTC on 20 March, is 23:30 there.
    const { project, order } = stateOf([...projectWithHostileText(), inAuckland, viewed]);
    const mail = viewedManagerEmail(identity, project, order, manager);

    expect(mail.text).toContain('at 2026-03-10 21:15:00 Pacific/Auckland, the first time since it was issued.');
    expect(mail.text).toContain('It awaits signature until 2026-03-20 23:30:00 Pacific/Auckland.');
  });

  it('keeps UTC, named, for a project without a time zone', () => {
    const { project, order } = stateOf([...projectWithHostileText(), reissued]);
    const mail = revisedSignLinkEmail(identity, project, order, { url: NEW_LINK, replaced: firstIssue() });

    expect(mail.text).toContain('expires at 2026-12-20 11:00:00 UTC.');
  });

  it('names a line once when its title already opens with its ref: "Add VPN", not "Add VPN VPN"', () => {
    const events = projectWithHostileText().map((e) =>
      e.type === 'ChangeOrderDrafted'
        ? event('ChangeOrderDrafted', {
            ...e.data,
            lines: e.data.lines.map((line) => ({
              ...line,
              ref: 'VPN',
              item: { ...line.item, ref: 'VPN', title: 'VPN' },
            })),
          })
        : e,
    );
    const { project, order } = stateOf(events);
    const mail = signLinkEmail(identity, project, order, 'https://ledger.northwind.example/sign/TOKEN');

    expect(mail.text).toContain('  - Add VPN: USD 1,170.00');
    expect(mail.text).not.toContain('VPN VPN');
    expect(mail.html).toContain('>Add VPN</td>');
  });

  it('keeps the ref before a title that does not start with it, even one that starts with the same letters', () => {
    const events = projectWithHostileText().map((e) =>
      e.type === 'ChangeOrderDrafted'
        ? event('ChangeOrderDrafted', {
            ...e.data,
            lines: e.data.lines.map((line) => ({
              ...line,
              ref: 'VPN',
              item: { ...line.item, ref: 'VPN', title: 'VPNs for two sites' },
            })),
          })
        : e,
    );
    const { project, order } = stateOf(events);
    expect(signLinkEmail(identity, project, order, 'x').text).toContain('  - Add VPN VPNs for two sites: USD 1,170.00');
  });
});

describe('the amount with monthly charges', () => {
  const licence = {
    sku: 'LIC-BP',
    name: 'Business Premium',
    kind: 'licence' as const,
    billing: 'monthly' as const,
    currency: 'USD',
    unitPrice: 2_200,
    unitCost: 1_800,
  };
  /** The order of projectWithHostileText with a licence line: from `before` to `after` seats at 22.00 a month. */
  function withLicences(before: number, after: number) {
    const monthly = (after - before) * 2_200;
    return projectWithHostileText().map((e) =>
      e.type === 'ChangeOrderDrafted'
        ? event('ChangeOrderDrafted', {
            ...e.data,
            products: [
              {
                op: before === 0 ? 'add' : 'modify',
                sku: 'LIC-BP',
                product: licence,
                quantity: after,
                quantityBefore: before,
                priceDelta: monthly,
                marginDelta: (after - before) * 400,
                changeRequestId: 'cr',
                changeRequestNumber: 1,
                noCharge: false,
                amount: 0,
                monthly,
                margin: (after - before) * 400,
              },
            ],
            monthly,
          })
        : e,
    );
  }

  it('says the one-off amount and the monthly charge apart, so nobody adds them', () => {
    // 3 seats × USD 22.00 = USD 66.00 a month, beside the USD 1,170.00 of labour paid once.
    const { project, order } = stateOf(withLicences(0, 3));
    const mail = signLinkEmail(identity, project, order, 'https://ledger.northwind.example/sign/TOKEN');

    expect(mail.text).toContain('Amount: USD 1,170.00 once, plus USD 66.00 per month from signing\n');
    expect(mail.text).toContain('  - Add LIC-BP Business Premium (quantity 3): USD 66.00 per month');
    expect(mail.html).toContain('>USD 1,170.00 once, plus USD 66.00 per month from signing</th>');
  });

  it('says a monthly reduction as less per month', () => {
    // From 5 seats to 4: USD 22.00 less a month.
    const { project, order } = stateOf(withLicences(5, 4));
    const mail = signLinkEmail(identity, project, order, 'https://ledger.northwind.example/sign/TOKEN');

    expect(mail.text).toContain('Amount: USD 1,170.00 once, and USD 22.00 less per month from signing\n');
  });
});

describe('html template', () => {
  it('escapes interpolated text and leaves nested html fragments alone', () => {
    const fragment = html`<b>${'<i>'}</b>`;
    expect(html`<p>${fragment}${"'&"}</p>`.value).toBe('<p><b>&lt;i&gt;</b>&#39;&amp;</p>');
    expect(escapeHtml(undefined)).toBe('');
  });
});
