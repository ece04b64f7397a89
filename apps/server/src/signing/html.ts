import { html, type Html } from '@scope-ledger/notifications';

// One escaping implementation serves emails and pages alike.
export { escapeHtml, Html, html } from '@scope-ledger/notifications';

export function page(title: string, body: Html, options: { scripts?: string[] } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/scope-ledger.css">
</head>
<body>
${body}
${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>`.value;
}
