/**
 * Everything a change-order PDF shows. Built by the server from the project stream;
 * rendering is a pure function of this value (same value, same bytes).
 * Amounts are integer minor units; hours are integer hundredths (CentiHours).
 */
export interface ChangeOrderDocumentModel {
  readonly msp: DocumentCompany;
  readonly client: { readonly name: string; readonly email: string };
  readonly project: { readonly id: string; readonly name: string; readonly currency: string };
  readonly order: {
    readonly id: string;
    readonly number: string; // "CO-3", or "CO-3 R1" for its first revision
    readonly issuedAt: string; // ISO timestamp; also the PDF CreationDate
    readonly expiresAt: string; // ISO timestamp
    readonly terms: string;
    readonly signer: { readonly name: string; readonly email: string };
  };
  readonly requests: ReadonlyArray<{
    readonly number: string; // "CR-2"
    readonly title: string;
    /** How it came in, in words ("Email", "Client delay"); documents issued before kept the code ("email"). */
    readonly source: string;
    readonly requestedBy: string;
    readonly receivedAt: string;
    readonly noCharge: boolean;
    /** Prices nothing and only moves dates; absent: false. */
    readonly scheduleOnly?: boolean;
  }>;
  readonly lines: ReadonlyArray<{
    readonly changeRequestNumber: string;
    readonly op: 'add' | 'modify' | 'remove';
    readonly ref: string;
    readonly title: string;
    readonly role: string;
    readonly centiHours: number; // hours delta shown on the line
    readonly rate: number; // minor units per hour
    readonly fixedCost: number;
    readonly amount: number; // price of this line on this order (0 when no-charge)
    readonly noCharge: boolean;
    /**
     * A modify line's item as it stood and as changed, each costed on its own (hours × rate + fixed cost, half up):
     * the line's amount is after.cost - before.cost, so it is printed as those two rows. Absent on documents
     * issued before it was kept: such a line prints as one row of its deltas.
     */
    readonly modified?: { readonly before: LineItemFigures; readonly after: LineItemFigures };
  }>;
  /**
   * Catalogue products and licences the order changes: what the client pays, never what they cost the company
   * (this model has no place for a unit cost or a margin). Absent or empty: no product section is printed.
   */
  readonly products?: ReadonlyArray<{
    readonly changeRequestNumber: string;
    readonly op: 'add' | 'modify' | 'remove';
    readonly sku: string;
    readonly name: string;
    readonly billing: 'one_off' | 'monthly';
    readonly quantityBefore: number;
    readonly quantity: number;
    readonly unitPrice: number; // minor units per unit (per month for monthly billing)
    readonly amount: number; // price change of the line (per month when monthly; 0 when no-charge)
    readonly noCharge: boolean;
  }>;
  /** Recurring monthly charges, fixed at issue: before this order, its change, and the new monthly total. */
  readonly recurring?: {
    readonly monthlyBefore: number;
    readonly monthlyChange: number;
    readonly monthlyAfter: number;
  };
  /** Every milestone the order moves, with its dates as they stood when the order was issued. */
  readonly schedule: ReadonlyArray<{
    readonly milestone: string;
    readonly name: string;
    readonly workingDays: number; // from dueBefore to newDue
    readonly baselineDue: string; // ISO date
    readonly dueBefore: string; // ISO date: with the orders signed before this one
    readonly newDue: string; // ISO date: after this order
  }>;
  /** Fixed at issue: originalContract + previouslyApproved = contractBefore; + thisOrder = newContractTotal. */
  readonly price: {
    readonly originalContract: number;
    readonly previouslyApproved: number; // net change of the orders signed before this one
    readonly contractBefore: number;
    readonly thisOrder: number;
    readonly newContractTotal: number;
    readonly absorbed: number; // cost of no-charge lines on this order
  };
}

/** A scope item's own figures: its role, hours, rate, fixed cost and cost. */
export interface LineItemFigures {
  readonly role: string;
  readonly centiHours: number;
  readonly rate: number; // minor units per hour
  readonly fixedCost: number;
  readonly cost: number;
}

/** What the signed copy adds: the filled signature block and the certificate of completion. */
export interface SignatureRecord {
  readonly signerName: string;
  readonly signerEmail: string;
  readonly signedAt: string; // ISO timestamp (UTC)
  readonly drawnSignaturePng?: Buffer;
  readonly ip: string;
  readonly userAgent: string;
  readonly consentVersion: string;
  readonly consentedAt?: string;
  /** How the signer was authenticated: the link alone, or also a one-time code emailed to them (and when entered). */
  readonly signerVerification?: { readonly method: 'none' | 'email_code'; readonly verifiedAt?: string };
  readonly documentSha256: string; // hash of the issued document the signer saw
  readonly sentAt: string;
  readonly viewedAt?: string;
  readonly streamHeadHash?: string; // head of the project's hash chain at signing
  /** Sender, the signer's steps with times and addresses, page count and time source, for the certificate. */
  readonly evidence?: SigningEvidence;
}

/** One thing that happened to the current issue of an order, as the certificate lists it. */
export interface EvidenceEvent {
  readonly what: string;
  readonly at: string; // ISO timestamp (UTC)
  readonly ip?: string;
  readonly detail?: string;
}

export interface SigningEvidence {
  /** Who issued the order: the staff member or key, the company, and the address it was issued from. */
  readonly sender: {
    readonly name: string;
    readonly organisation?: string;
    readonly email?: string;
    readonly ip?: string;
  };
  /** In the order they happened, from sent to signed. */
  readonly events: readonly EvidenceEvent[];
  readonly issuedPageCount: number;
  /** The signer's IANA time zone, as their browser reported it; times are also shown in it. */
  readonly signerTimeZone?: string;
  /** Where the time of signing comes from: a time-stamp authority, or the server's own clock. */
  readonly timeSource: string;
}

/**
 * The company an order comes from, as its settings stood when the order was issued: a later change of name, logo
 * or colour does not alter a document already issued. Documents issued before carried only name and email.
 */
export interface DocumentCompany {
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  /** Lines of the postal address. */
  readonly address?: string;
  /** Printed top left; the bytes themselves, so the document can be rendered again from its model alone. */
  readonly logo?: { readonly mediaType: 'image/png' | 'image/jpeg'; readonly base64: string };
  /** #rrggbb for headings and rules; black when absent. */
  readonly brandColour?: string;
}
