import { BILLINGS, CatalogueProduct, PRODUCT_KINDS } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import { productView, ProductView } from '../../catalogue/catalogue-view';
import { amountInput, badge, money, timeTag } from './format';
import { FormFailure, FormValues, FormView, inputField, postForm, selectField } from './forms';
import { can, dataTable, numColumn, pageHead, shell, Viewer } from './layout';

const SKU_HINT = 'Letters, digits, . _ -; unique in any case.';
const KIND_LABELS: Record<string, string> = { product: 'Product', licence: 'Licence' };
const BILLING_LABELS: Record<string, string> = { one_off: 'One-off', monthly: 'Monthly' };
const kinds = PRODUCT_KINDS.map((value) => ({ value, label: KIND_LABELS[value] }));
const billings = BILLINGS.map((value) => ({ value, label: BILLING_LABELS[value] }));

/** The fields of a product; the SKU only when cataloguing, since it names the product for good. */
function productFields(form: FormView, withSku: boolean): Html {
  return html`<div class="grid two">
    ${withSku ? inputField(form, 'sku', { label: 'SKU', required: true, hint: SKU_HINT }) : ''}
    ${inputField(form, 'name', { label: 'Name', required: true })}
    ${selectField(form, 'kind', kinds, { label: 'Kind' })}
    ${selectField(form, 'billing', billings, { label: 'Billing', hint: 'Monthly: a recurring charge per unit.' })}
    ${inputField(form, 'currency', { label: 'Currency', required: true, hint: 'Three letters, such as USD.' })}
    ${inputField(form, 'unitPrice', { label: 'Unit price', required: true, hint: 'What the client pays a unit.' })}
    ${inputField(form, 'unitCost', { label: 'Unit cost', required: true, hint: 'What a unit costs us; staff only.' })}
  </div>`;
}

/** The catalogue: every product with its price, cost and margin, the form to add one, links to change each. */
export function cataloguePage(
  viewer: Viewer,
  args: { products: ProductView[]; showRetired: boolean; failure?: FormFailure; notice?: string },
): string {
  const writer = can(viewer, 'pm');
  const rows = args.products.map(
    (p) => html`<tr>
      <td class="mono">${writer ? html`<a href="/app/catalogue/${p.sku}">${p.sku}</a>` : p.sku}</td>
      <td>${p.name}</td><td>${KIND_LABELS[p.kind]}</td><td>${BILLING_LABELS[p.billing]}</td>
      <td class="num">${money(p.unitPrice, p.currency)}</td>
      <td class="num">${money(p.unitCost, p.currency)}</td>
      <td class="num">${money(p.unitMargin, p.currency)}</td>
      <td>${p.retired ? badge('retired') : badge('active')}</td>
    </tr>`,
  );
  const table = dataTable(
    'data',
    [
      'SKU',
      'Name',
      'Kind',
      'Billing',
      numColumn('Unit price'),
      numColumn('Unit cost'),
      numColumn('Unit margin'),
      'Status',
    ],
    rows,
  );
  const form = FormView.of('catalogue', args.failure, { kind: 'licence', billing: 'monthly', currency: 'USD' });
  const add = writer
    ? html`<section class="panel" id="add-product"><h2>Add a product or licence</h2>
  ${postForm(
    viewer,
    '/app/catalogue',
    form,
    html`${productFields(form, true)}
  <div class="actions"><button type="submit" class="primary">Add to the catalogue</button></div>`,
  )}
</section>`
    : '';
  const toggle = args.showRetired
    ? html`<a href="/app/catalogue">Hide retired products</a>`
    : html`<a href="/app/catalogue?retired=true">Show retired products</a>`;
  const body = html`${pageHead({
    eyebrow: 'Products and licences',
    title: 'Catalogue',
    lead: 'Assessments price products by SKU from here. Unit costs and margins are for staff only.',
  })}
<section class="panel flush">${
    args.products.length > 0 ? table : html`<p class="panel-text muted">No products yet.</p>`
  }<p class="panel-text">${toggle}</p></section>
${add}`;
  return shell(viewer, 'Catalogue', body, { section: 'catalogue', notice: args.notice });
}

/** A retired product, read only: it can no longer be changed, only read as it stood when retired. */
function retiredProductPage(viewer: Viewer, args: { product: CatalogueProduct; failure?: FormFailure }): string {
  const { product } = args;
  const { currency } = product;
  const body = html`${pageHead({ eyebrow: 'Catalogue', title: product.sku, lead: product.name })}
${args.failure ? html`<div class="notice bad" role="alert">${args.failure.detail}</div>` : ''}
<div class="notice info" role="status"><strong>Retired on ${timeTag(product.retiredAt)}.</strong> No new assessment
  can add it and it can no longer be changed; projects that hold it keep it, and can change or remove it.</div>
<section class="panel"><h2>The product as retired</h2>
  <dl class="facts">
    <div><dt>Kind</dt><dd>${KIND_LABELS[product.kind]}</dd></div>
    <div><dt>Billing</dt><dd>${BILLING_LABELS[product.billing]}</dd></div>
    <div><dt>Unit price</dt><dd>${money(product.unitPrice, currency)}</dd></div>
    <div><dt>Unit cost</dt><dd>${money(product.unitCost, currency)}</dd></div>
    <div><dt>Unit margin</dt><dd>${money(productView(product).unitMargin, currency)}</dd></div>
  </dl>
  <div class="actions"><a class="button" href="/app/catalogue?retired=true">Back to the catalogue</a></div>
</section>`;
  return shell(viewer, `${product.sku} · Catalogue`, body, {
    section: 'catalogue',
    crumbs: [{ label: 'Catalogue', href: '/app/catalogue?retired=true' }, { label: product.sku }],
  });
}

/** One product's form: change its figures, or retire it; a retired product only to read. */
export function productPage(viewer: Viewer, args: { product: CatalogueProduct; failure?: FormFailure }): string {
  const { product } = args;
  if (product.retiredAt !== undefined) return retiredProductPage(viewer, args);
  const values: FormValues = {
    name: product.name,
    kind: product.kind,
    billing: product.billing,
    currency: product.currency,
    unitPrice: amountInput(product.unitPrice, product.currency),
    unitCost: amountInput(product.unitCost, product.currency),
  };
  const form = FormView.of('product', args.failure, values);
  const path = `/app/catalogue/${product.sku}`;
  const retireButton = html`<button type="submit">Retire ${product.sku}</button>`;
  const body = html`${pageHead({ eyebrow: 'Catalogue', title: product.sku, lead: product.name })}
<section class="panel"><h2>Change the product</h2>
  <p class="hint">Assessments from now on use the new figures; what is already assessed, ordered or signed keeps
  its own.</p>
  ${postForm(
    viewer,
    path,
    form,
    html`${productFields(form, false)}
  <div class="actions"><button type="submit" class="primary">Save</button>
  <a class="button" href="/app/catalogue">Back to the catalogue</a></div>`,
  )}
</section>
<section class="panel"><h2>Retire</h2>
  <p class="hint">No new assessment can add it; projects that hold it keep it, and can change or remove it.</p>
  ${postForm(viewer, `${path}/retire`, undefined, retireButton, 'class="inline"')}
</section>`;
  return shell(viewer, `${product.sku} · Catalogue`, body, {
    section: 'catalogue',
    crumbs: [{ label: 'Catalogue', href: '/app/catalogue' }, { label: product.sku }],
  });
}
