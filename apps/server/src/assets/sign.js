// Times: the page writes each in the project's zone and names it; the signer reads it in their own zone, and
// the project's reading stays in the title.
(() => {
  document.querySelectorAll('time[datetime][data-local]').forEach((time) => {
    const when = new Date(time.getAttribute('datetime'));
    if (Number.isNaN(when.getTime())) return;
    const options = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };
    if (time.dataset.local === 'seconds') options.second = '2-digit';
    time.title = time.textContent.trim();
    time.textContent = new Intl.DateTimeFormat(undefined, { ...options, timeZoneName: 'short' }).format(when);
  });
})();

(() => {
  const $ = (id) => document.getElementById(id);
  const section = $('sign-section'); if (!section) return;
  const token = section.dataset.token;
  // One request at a time: a double click must not send the signature twice.
  const buttons = () => [$('sign-button'), $('show-decline'), $('decline-button')].filter(Boolean);
  const post = async (path, body, errorId) => {
    const error = $(errorId);
    buttons().forEach((b) => { b.disabled = true; });
    try {
      const response = await fetch(path, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      });
      if (response.ok) { location.reload(); return; }
      const problem = await response.json().catch(() => ({}));
      error.textContent = problem.detail || problem.title || 'Something went wrong. Please try again.';
    } catch {
      error.textContent = 'The connection failed. Check your network and try again.';
    }
    buttons().forEach((b) => { b.disabled = false; });
  };

  // The signature form is on the page only once consent (and the code, when asked for) is given.
  const button = $('sign-button');
  if (button) {
    const canvas = $('signature-pad'); const ctx = canvas.getContext('2d'); let drawn = false; let drawing = false;
    ctx.lineWidth = 2.5; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#1d2330';
    const point = (e) => {
      const r = canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
    };
    canvas.addEventListener('pointerdown', (e) => {
      drawing = true; const [x, y] = point(e); ctx.beginPath(); ctx.moveTo(x, y); canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!drawing) return; const [x, y] = point(e); ctx.lineTo(x, y); ctx.stroke(); drawn = true;
    });
    const stop = () => { drawing = false; };
    canvas.addEventListener('pointerup', stop); canvas.addEventListener('pointercancel', stop);
    $('clear-signature').addEventListener('click', () => {
      ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false;
    });
    button.addEventListener('click', () => {
      $('sign-error').textContent = '';
      if (!$('name').value.trim()) {
        $('sign-error').textContent = 'Please type your full name.'; $('name').focus(); return;
      }
      const body = { name: $('name').value, documentSha256: $('document-sha256').textContent.trim() };
      if (drawn) body.signature = canvas.toDataURL('image/png');
      // The certificate of completion also gives each time in the signer's own zone.
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) body.timeZone = zone;
      post('/sign/' + token, body, 'sign-error');
    });
  }

  $('show-decline').addEventListener('click', () => {
    $('decline-panel').hidden = false; $('decline-reason').focus();
  });
  $('decline-button').addEventListener('click', () => {
    $('decline-error').textContent = '';
    if (!$('decline-reason').value.trim()) {
      $('decline-error').textContent = 'Please say why you decline.'; $('decline-reason').focus(); return;
    }
    post('/sign/' + token + '/decline', { reason: $('decline-reason').value }, 'decline-error');
  });
})();
