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
