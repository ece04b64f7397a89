(() => {
  document.querySelectorAll('button.copy[data-copy]').forEach((button) => {
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    button.hidden = false;
    button.addEventListener('click', async () => {
      input.select();
      try { await navigator.clipboard.writeText(input.value); } catch (e) { document.execCommand('copy'); }
      button.textContent = 'Copied';
      setTimeout(() => { button.textContent = 'Copy'; }, 1500);
    });
  });
  document.querySelectorAll('button.add-row[data-add-row]').forEach((button) => {
    const body = document.querySelector('table[data-rows="' + button.dataset.addRow + '"] tbody');
    if (!body) return;
    button.hidden = false;
    button.addEventListener('click', () => {
      const rows = body.querySelectorAll('tr:not(.row-error)');
      const index = rows.length;
      const row = rows[rows.length - 1].cloneNode(true);
      row.querySelectorAll('input, select').forEach((control) => {
        control.name = control.name.replace(/\[\d+\]/, '[' + index + ']');
        if (control.id) control.id = control.id.replace(/-\d+-/, '-' + index + '-');
        const label = control.getAttribute('aria-label');
        if (label) control.setAttribute('aria-label', label.replace(/\d+/, String(index + 1)));
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
        control.removeAttribute('placeholder');
        if (control.tagName === 'SELECT') control.selectedIndex = 0; else control.value = '';
      });
      row.querySelectorAll('.field-error').forEach((error) => error.remove());
      row.querySelectorAll('.has-error').forEach((cell) => cell.classList.remove('has-error'));
      body.appendChild(row);
      const first = row.querySelector('input, select');
      if (first) first.focus();
    });
  });
})();

// The delivery board. A card dragged to another column sends the move its buttons send (a form post, so the
// board answers as it does without this script). After a move the board opens at the card: the card takes the
// focus and the result (moved, or why not) is read out, so a keyboard user carries on from where they were.
(() => {
  const board = document.querySelector('.board');
  if (!board) return;

  const live = document.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  (document.querySelector('.app') || document.body).appendChild(live);
  const moved = /^#card-C-\d+$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
  if (moved) {
    moved.tabIndex = -1;
    moved.focus();
    const result = moved.querySelector('.card-error') || document.querySelector('.main > .notice.ok');
    // Filled a moment after the region exists, so screen readers announce it.
    if (result) setTimeout(() => { live.textContent = result.textContent.trim(); }, 250);
  }

  const csrf = document.querySelector('input[name="_csrf"]');
  let dragged = null;
  board.querySelectorAll('.card[data-move]').forEach((card) => { card.draggable = true; });
  // While a field of the card's time form has the focus, the mouse selects its text rather than drags the card.
  const typing = (event, draggable) => {
    const card = event.target.closest && event.target.closest('.card[data-move]');
    if (card && event.target.matches('input, textarea, select')) card.draggable = draggable;
  };
  board.addEventListener('focusin', (event) => typing(event, false));
  board.addEventListener('focusout', (event) => typing(event, true));
  board.addEventListener('dragstart', (event) => {
    dragged = event.target.closest && event.target.closest('.card[data-move]');
    if (!dragged) return;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', dragged.dataset.card);
    dragged.classList.add('dragging');
  });
  board.addEventListener('dragend', () => {
    if (dragged) dragged.classList.remove('dragging');
    board.querySelectorAll('.drop-target').forEach((column) => column.classList.remove('drop-target'));
    dragged = null;
  });
  const targetOf = (event) => {
    const column = event.target.closest && event.target.closest('section[data-column]');
    return dragged && column && !column.contains(dragged) ? column : null;
  };
  board.addEventListener('dragover', (event) => {
    const column = targetOf(event);
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    board.querySelectorAll('.drop-target').forEach((other) => {
      if (other !== column) other.classList.remove('drop-target');
    });
    column.classList.add('drop-target');
  });
  board.addEventListener('drop', (event) => {
    const column = targetOf(event);
    if (!column || !csrf) return;
    event.preventDefault();
    const form = document.createElement('form');
    form.method = 'post';
    form.action = dragged.dataset.move;
    form.hidden = true;
    for (const [name, value] of [['_csrf', csrf.value], ['to', column.dataset.column]]) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  });
})();

// Times: the server writes each in the project's zone and names it; the viewer reads it in their own zone, and
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

// The read models' rebuild: while it runs, its progress is read every second; once it has finished the page is
// loaded again to show the outcome. Without this script the page offers a Refresh link.
(() => {
  const panel = document.querySelector('[data-rebuild-status][data-state="running"]');
  if (!panel) return;
  const bar = panel.querySelector('progress');
  const text = panel.querySelector('[data-rebuild-text]');
  const count = (n) => n.toLocaleString('en-US');
  const poll = async () => {
    try {
      const response = await fetch(panel.dataset.rebuildStatus, { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      const status = await response.json();
      if (status.state !== 'running') {
        location.replace('/app/admin/projections');
        return;
      }
      bar.max = Math.max(status.total, 1);
      bar.value = status.done;
      bar.textContent = count(status.done) + ' of ' + count(status.total);
      text.textContent = 'Rebuilding: ' + count(status.done) + ' of ' + count(status.total) + ' events.';
    } catch (e) {
      // A missed reading is tried again at the next tick.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();

// Company settings: the forms post urlencoded, so the chosen logo travels in a hidden field as a data: URL.
(() => {
  const file = document.querySelector('input[data-logo-file]');
  const data = document.querySelector('input[data-logo-data]');
  const status = document.querySelector('[data-logo-status]');
  if (!file || !data) return;
  file.addEventListener('change', () => {
    const chosen = file.files && file.files[0];
    data.value = '';
    if (!chosen) return;
    if (chosen.size > 200 * 1024) {
      if (status) status.textContent = 'This image is larger than 200 kB; choose a smaller one.';
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      data.value = String(reader.result);
      if (status) status.textContent = chosen.name + ' will be saved with the settings.';
    };
    reader.readAsDataURL(chosen);
  });
})();
