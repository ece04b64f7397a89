import { html, Html } from '../../signing/html';
import { dateTime } from './format';
import { FormFailure, FormView } from './forms';

/** The field that shows a page as of a past moment (a GET form: the moment goes in the address). */
export function asOfForm(action: string, asOf: string | undefined, failure?: FormFailure): Html {
  const form = FormView.of('as-of', failure, { asOf: asOf ? asOf.slice(0, 19) : '' });
  const refused = form.hasError('asOf');
  return html`<form class="as-of" method="get" action="${action}">
  <label for="as-of-asOf">As of <span class="muted">(UTC)</span></label>
  <input type="datetime-local" id="as-of-asOf" name="asOf" step="1" value="${form.value('asOf')}"${
    refused ? html` aria-invalid="true" aria-describedby="as-of-asOf-error"` : ''
  }>
  <button type="submit">Show</button>
  ${asOf ? html`<a href="${action}">Back to now</a>` : ''}
  ${refused ? html`<p class="field-error" id="as-of-asOf-error">${form.errorFor('asOf')}</p>` : ''}
</form>`;
}

/** The banner over a page shown as of a past moment: which moment, that nothing changes here, the way back. */
export function asOfNotice(asOf: string, what: string, now: string): Html {
  return html`<div class="notice info" role="status">
  <strong>As of ${dateTime(asOf)}.</strong> This is ${what} exactly as it stood then, folded from its events.
  Nothing can be changed in this view. <a href="${now}">Back to now</a>
</div>`;
}
